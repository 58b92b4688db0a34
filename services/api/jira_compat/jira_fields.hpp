#pragma once

#include <span>
#include <string_view>

namespace jirasync {

// The system fields the cache can render, as GET /rest/api/{2,3}/field lists
// them (python-jira maps names to ids with it) and as `*navigable` selects
// them (the comment is the one field Jira leaves out of *navigable).
struct JiraFieldInfo {
  const char* id;
  const char* name;
  const char* schema_type;  // FieldDetails.schema.type
  const char* items;        // schema.items for arrays, "" otherwise
  bool navigable;
  bool orderable;
};

std::span<const JiraFieldInfo> jira_fields();
const JiraFieldInfo* find_jira_field(std::string_view id);

}  // namespace jirasync
