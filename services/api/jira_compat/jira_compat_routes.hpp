#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// The Jira-compatible read API, served from the cache (docs/architecture.md): the
// search endpoints, issues by id or key, bulkfetch, jql/parse, myself,
// serverInfo and field, in Jira's shapes and errors; writes answer 405.
std::vector<ApiRoute> jira_compat_routes(ApiContext& ctx);

// The parts of the family, one file each.
std::vector<ApiRoute> jira_search_routes(ApiContext& ctx);
std::vector<ApiRoute> jira_issue_routes(ApiContext& ctx);
std::vector<ApiRoute> jira_site_routes(ApiContext& ctx);
std::vector<ApiRoute> jira_jql_parse_routes(ApiContext& ctx);

}  // namespace jirasync
