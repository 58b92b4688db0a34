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

// One comment (fields.comment.comments[i], or a page of GET
// /rest/api/3/issue/{id}/comment).
struct JiraComment {
  std::string id;
  std::optional<JiraUser> author;  // absent for some imported or anonymous comments
  std::string body_adf;            // canonical ADF JSON; "" when empty
  std::string body_text;           // plain-text rendering of the ADF
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  bool operator==(const JiraComment&) const = default;
};

// One fields.issuelinks[i], seen from this issue: "outward" when Jira names
// the other issue outwardIssue (this issue <type.outward> it, e.g. "blocks"),
// "inward" when it names inwardIssue (this issue <type.inward> it, e.g. "is
// blocked by").
struct JiraIssueLink {
  std::string id;
  std::string type_name;  // type.name, e.g. "Blocks"
  std::string direction;  // inward | outward
  std::string label;      // type.inward or type.outward, the verb shown to people
  std::string other_id;
  std::string other_key;
  bool operator==(const JiraIssueLink&) const = default;
};

// One fields.subtasks[i]: which issue, in Jira's order. Its own row holds
// its summary and status (they change without touching the parent).
struct JiraSubtaskRef {
  std::string id;
  std::string key;
  bool operator==(const JiraSubtaskRef&) const = default;
};

// Metadata of one fields.attachment[i]; the content is never fetched.
struct JiraAttachment {
  std::string id;
  std::string filename;
  std::string mime_type;
  int64_t size_bytes = 0;
  int64_t created_ms = 0;
  std::optional<JiraUser> author;
  bool operator==(const JiraAttachment&) const = default;
};

// fields.timetracking in seconds; nullopt where Jira has no value.
struct JiraTimeTracking {
  std::optional<int64_t> original_estimate_s;
  std::optional<int64_t> remaining_estimate_s;
  std::optional<int64_t> time_spent_s;
  bool operator==(const JiraTimeTracking&) const = default;
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

  std::optional<std::string> due_date;         // fields.duedate, "YYYY-MM-DD"
  std::optional<JiraUser> creator;             // fields.creator
  std::vector<std::string> affected_versions;  // fields.versions[].name
  std::string environment_adf;                 // fields.environment: canonical ADF; "" when none
  std::string environment_text;                // plain-text rendering of it
  std::vector<JiraComment> comments;           // every comment, oldest first as Jira lists them
  std::vector<JiraIssueLink> links;            // fields.issuelinks
  std::vector<JiraSubtaskRef> subtasks;        // fields.subtasks
  std::vector<JiraAttachment> attachments;     // fields.attachment
  JiraTimeTracking time_tracking;              // fields.timetracking

  bool operator==(const JiraIssue&) const = default;
};

}  // namespace jirasync
