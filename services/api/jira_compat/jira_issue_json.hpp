#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/json/json_writer.hpp"
#include "common/model/jira_issue.hpp"
#include "services/api/jira_compat/jira_field_selection.hpp"
#include "services/api/jira_compat/jira_fragment_cache.hpp"

namespace jirasync {

// What rendering a cached issue as Jira's IssueBean depends on besides the issue.
struct JiraRenderContext {
  std::string base_url;           // prefix of every `self` link, "http://host:port"
  std::string time_zone = "UTC";  // timestamps carry this zone's offset, as Jira's account zone
  int api_version = 3;            // 2: rich text (description, comments) as plain text, not ADF
  // The cached issue behind a key (a parent, sub-task or link's other end),
  // for its summary, status, priority and type; nullptr when not cached.
  std::function<const JiraIssue*(const std::string& key)> related;
  // When set, the repeated objects (users, statuses, types, priorities,
  // projects) are rendered once into it and copied from there.
  std::shared_ptr<JiraFragmentCache> fragments;
};

// One issue as Jira's IssueBean ({"expand","id","self","key","fields"}) with
// the selected fields, from what the cache holds. Ids Jira keeps for names
// the cache does not (status, priority, type, component, version) are derived
// from the name, stable across calls.
void write_jira_issue(JsonWriter& w, const JiraIssue& issue, const JiraFieldSelection& fields,
                      const JiraRenderContext& ctx);

// Jira's ids for the names the cache keeps (status "Done" -> "10001").
std::string jira_name_id(const std::string& kind, const std::string& name);

}  // namespace jirasync
