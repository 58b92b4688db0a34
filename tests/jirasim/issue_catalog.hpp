#pragma once

#include <span>
#include <string_view>

namespace jirasim {

// The fixed vocabulary of the simulated site: statuses, priorities, issue
// types and the fields it serves, with the ids Jira would give them.

struct StatusDef {
  const char* name;
  const char* id;
  const char* category;  // new | indeterminate | done
};

struct StatusCategoryDef {
  const char* key;
  int id;
  const char* name;
  const char* color;
};

struct PriorityDef {
  const char* name;
  const char* id;
};

struct IssueTypeDef {
  const char* name;
  const char* id;
  bool subtask;
  int hierarchy_level;
};

struct FieldDef {
  const char* id;
  const char* name;
  bool navigable;  // in `*navigable`; every field is in `*all`
};

// Jira's default issue link types.
struct IssueLinkTypeDef {
  const char* name;
  const char* id;
  const char* inward;   // "is blocked by"
  const char* outward;  // "blocks"
};

std::span<const StatusDef> statuses();
std::span<const IssueLinkTypeDef> link_types();
const IssueLinkTypeDef* find_link_type(std::string_view name);  // case-insensitive
std::span<const PriorityDef> priorities();
std::span<const IssueTypeDef> issue_types();
std::span<const FieldDef> fields();

const StatusDef* find_status(std::string_view name);  // case-insensitive
const StatusCategoryDef* find_status_category(std::string_view key);
const PriorityDef* find_priority(std::string_view name);
const IssueTypeDef* find_issue_type(std::string_view name);
const FieldDef* find_field(std::string_view id);

}  // namespace jirasim
