#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jirasync {

// A person as Jira shows them (Cloud hides e-mail addresses; accountId is the
// stable identity).
struct JiraUser {
  std::string account_id;
  std::string display_name;
  bool operator==(const JiraUser&) const = default;
};

// One Jira Cloud issue as parsed from REST API v3 JSON: the shape the cache
// stores. Timestamps are UTC milliseconds since the epoch.
struct JiraIssue {
  std::string id;                       // numeric string, stable across moves
  std::string key;                      // e.g. "WRKA-42"; changes when the issue moves
  std::string project_key;              // fields.project.key
  std::string project_id;               // fields.project.id
  std::string issue_type;               // fields.issuetype.name
  bool subtask = false;                 // fields.issuetype.subtask
  std::string status;                   // fields.status.name
  std::string status_category;          // fields.status.statusCategory.key: new|indeterminate|done
  std::optional<std::string> priority;  // fields.priority.name
  std::optional<JiraUser> assignee;
  std::optional<JiraUser> reporter;
  std::vector<std::string> labels;
  std::vector<std::string> components;    // names
  std::vector<std::string> fix_versions;  // names
  std::optional<std::string> parent_id;
  std::optional<std::string> parent_key;
  std::optional<std::string> resolution;  // fields.resolution.name
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::optional<int64_t> resolution_date_ms;
  std::string summary;
  std::string description_adf;   // canonical (sorted-key, compact) ADF JSON; "" when none
  std::string description_text;  // plain-text rendering of the ADF
  // customfield_NNNNN -> canonical compact JSON of the value (null values omitted).
  std::map<std::string, std::string> custom_fields;

  bool operator==(const JiraIssue&) const = default;
};

}  // namespace jirasync
