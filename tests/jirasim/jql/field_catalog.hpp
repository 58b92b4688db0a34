#pragma once

#include <optional>
#include <string_view>

#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

enum class FieldId {
  Project,
  IssueKey,  // key, issuekey, id: one field in Jira
  IssueType,
  Status,
  StatusCategory,
  Priority,
  Assignee,
  Reporter,
  Labels,
  Component,
  FixVersion,
  Parent,
  Summary,
  Description,
  Text,
  Created,
  Updated,
  Resolution,
  ResolutionDate,
  Custom,  // cf[N] or a custom field's name (not in the catalogue: see compile_where)
};

// What the simulator knows about one searchable system field.
struct FieldInfo {
  FieldId id;
  std::string_view name;  // canonical JQL name
  unsigned operators;     // bit per ClauseOperator
  bool orderable;
};

// Looks a field up by any of its JQL names, case-insensitively.
std::optional<FieldInfo> find_field(std::string_view name);

bool supports(const FieldInfo& field, ClauseOperator op);

// What a custom field accepts: = != IN NOT IN IS > >= < <= ~ !~.
extern const unsigned kCustomOperators;

}  // namespace jirasim::jql
