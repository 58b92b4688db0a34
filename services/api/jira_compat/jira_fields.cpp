#include "services/api/jira_compat/jira_fields.hpp"

namespace jirasync {
namespace {

constexpr JiraFieldInfo kFields[] = {
    {"summary", "Summary", "string", "", true, true},
    {"status", "Status", "status", "", true, false},
    {"issuetype", "Issue Type", "issuetype", "", true, true},
    {"project", "Project", "project", "", true, false},
    {"priority", "Priority", "priority", "", true, true},
    {"assignee", "Assignee", "user", "", true, true},
    {"reporter", "Reporter", "user", "", true, true},
    {"creator", "Creator", "user", "", true, false},
    {"labels", "Labels", "array", "string", true, true},
    {"components", "Components", "array", "component", true, true},
    {"fixVersions", "Fix versions", "array", "version", true, true},
    {"versions", "Affects versions", "array", "version", true, true},
    {"parent", "Parent", "issuelink", "", true, true},
    {"resolution", "Resolution", "resolution", "", true, true},
    {"resolutiondate", "Resolved", "datetime", "", true, false},
    {"created", "Created", "datetime", "", true, false},
    {"updated", "Updated", "datetime", "", true, false},
    {"description", "Description", "string", "", true, true},
    {"environment", "Environment", "string", "", true, true},
    {"duedate", "Due date", "date", "", true, true},
    {"issuelinks", "Linked Issues", "array", "issuelinks", true, true},
    {"subtasks", "Sub-tasks", "array", "issuelinks", true, false},
    {"attachment", "Attachment", "array", "attachment", true, true},
    {"timetracking", "Time tracking", "timetracking", "", true, true},
    {"timeoriginalestimate", "Original estimate", "number", "", true, false},
    {"timeestimate", "Remaining Estimate", "number", "", true, false},
    {"timespent", "Time Spent", "number", "", true, false},
    {"comment", "Comment", "comments-page", "", false, true},
};

}  // namespace

std::span<const JiraFieldInfo> jira_fields() {
  return kFields;
}

const JiraFieldInfo* find_jira_field(std::string_view id) {
  for (const auto& f : kFields) {
    if (id == f.id) return &f;
  }
  return nullptr;
}

}  // namespace jirasync
