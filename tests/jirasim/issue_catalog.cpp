#include "tests/jirasim/issue_catalog.hpp"

#include <algorithm>
#include <cctype>

namespace jirasim {

namespace {

constexpr StatusDef kStatuses[] = {{"To Do", "10000", "new"},
                                   {"In Progress", "3", "indeterminate"},
                                   {"In Review", "10001", "indeterminate"},
                                   {"Blocked", "10002", "indeterminate"},
                                   {"Done", "10003", "done"},
                                   {"Won't Do", "10004", "done"}};

constexpr StatusCategoryDef kCategories[] = {{"new", 2, "To Do", "blue-gray"},
                                             {"indeterminate", 4, "In Progress", "yellow"},
                                             {"done", 3, "Done", "green"}};

constexpr PriorityDef kPriorities[] = {
    {"Highest", "1"}, {"High", "2"}, {"Medium", "3"}, {"Low", "4"}, {"Lowest", "5"}};

constexpr IssueTypeDef kIssueTypes[] = {{"Epic", "10000", false, 1},
                                        {"Story", "10001", false, 0},
                                        {"Task", "10002", false, 0},
                                        {"Bug", "10004", false, 0},
                                        {"Sub-task", "10003", true, -1}};

constexpr FieldDef kFields[] = {
    {"summary", "Summary", true},
    {"status", "Status", true},
    {"issuetype", "Issue Type", true},
    {"project", "Project", true},
    {"priority", "Priority", true},
    {"assignee", "Assignee", true},
    {"reporter", "Reporter", true},
    {"creator", "Creator", true},
    {"labels", "Labels", true},
    {"components", "Components", true},
    {"fixVersions", "Fix versions", true},
    {"parent", "Parent", true},
    {"resolution", "Resolution", true},
    {"resolutiondate", "Resolved", true},
    {"created", "Created", true},
    {"updated", "Updated", true},
    {"statuscategorychangedate", "Status Category Changed", true},
    {"description", "Description", true},
    {"customfield_10016", "Story point estimate", true},
    {"customfield_10020", "Sprint", true},
    {"customfield_10021", "Team", true},
    {"customfield_10015", "Start date", true},
    {"comment", "Comment", false},
    {"duedate", "Due date", true},
    {"versions", "Affects versions", true},
    {"environment", "Environment", true},
    {"issuelinks", "Linked Issues", true},
    {"subtasks", "Sub-tasks", true},
    {"attachment", "Attachment", true},
    {"timetracking", "Time tracking", true},
    {"timeoriginalestimate", "Original estimate", true},
    {"timeestimate", "Remaining Estimate", true},
    {"timespent", "Time Spent", true},
};

constexpr IssueLinkTypeDef kLinkTypes[] = {{"Blocks", "10000", "is blocked by", "blocks"},
                                           {"Cloners", "10001", "is cloned by", "clones"},
                                           {"Duplicate", "10002", "is duplicated by", "duplicates"},
                                           {"Relates", "10003", "relates to", "relates to"}};

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

template <typename T>
const T* find_named(std::span<const T> all, std::string_view name) {
  for (const T& t : all) {
    if (iequal(t.name, name)) return &t;
  }
  return nullptr;
}

}  // namespace

std::span<const StatusDef> statuses() {
  return kStatuses;
}
std::span<const PriorityDef> priorities() {
  return kPriorities;
}
std::span<const IssueTypeDef> issue_types() {
  return kIssueTypes;
}
std::span<const FieldDef> fields() {
  return kFields;
}

const StatusDef* find_status(std::string_view name) {
  return find_named(statuses(), name);
}
const PriorityDef* find_priority(std::string_view name) {
  return find_named(priorities(), name);
}
const IssueTypeDef* find_issue_type(std::string_view name) {
  return find_named(issue_types(), name);
}

const StatusCategoryDef* find_status_category(std::string_view key) {
  for (const auto& c : kCategories) {
    if (key == c.key) return &c;
  }
  return nullptr;
}

std::span<const IssueLinkTypeDef> link_types() {
  return kLinkTypes;
}

const IssueLinkTypeDef* find_link_type(std::string_view name) {
  return find_named(link_types(), name);
}

const FieldDef* find_field(std::string_view id) {
  for (const auto& f : kFields) {
    if (id == f.id) return &f;
  }
  return nullptr;
}

}  // namespace jirasim
