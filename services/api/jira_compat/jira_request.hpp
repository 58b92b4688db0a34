#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "common/jql/sql_compiler.hpp"
#include "services/api/api_route.hpp"
#include "services/api/jira_compat/jira_issue_json.hpp"

namespace jirasync {

struct ApiContext;
class JiraIssueLoader;

// "http://host:port" as the client addressed the server (Host, and
// X-Forwarded-Proto behind a TLS-terminating proxy): the prefix of `self` links.
std::string jira_base_url(const RouteRequest& request);

// The cache's JQL context: the configured Jira account (currentUser(), its
// zone) and the clock's now.
JqlContext jira_jql_context(ApiContext& ctx);

JiraRenderContext jira_render_context(ApiContext& ctx, const ApiRequest& request, int api_version,
                                      JiraIssueLoader& loader);

// A whole number in [min, max] or std::invalid_argument naming `name`.
int jira_int(const std::string& name, const std::string& text, int min, int max);

// The JSON object body of a POST, or std::invalid_argument saying why not.
void jira_body(const RouteRequest& request, rapidjson::Document& doc);

// Member `name` of a body as a list of strings: an array of strings or one
// comma-separated string (Jira takes both for `fields` and `expand`); nullopt
// when absent; std::invalid_argument for another type.
std::optional<std::vector<std::string>> jira_body_strings(const rapidjson::Value& body,
                                                          const char* name);

}  // namespace jirasync
