#pragma once

#include <cstddef>

#include "tests/jirasim/jql/condition.hpp"
#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

// A WHERE tree checked against the field catalogue and turned into conditions.
struct CompiledWhere {
  ConditionPtr root;
  size_t slot_count = 0;    // Binding::slots needed
  bool needs_zone = false;  // some operand is read in the account zone or relative to now
};

// Validates field names, operators and values the way Jira does and builds
// the evaluable tree. Throws JqlError with Jira's wording.
// Custom fields are cf[N] (any N: the control API sets any customfield_*)
// or a name in `custom_fields`.
CompiledWhere compile_where(const Clause& where, const CustomFieldNames& custom_fields = {});

}  // namespace jirasim::jql
