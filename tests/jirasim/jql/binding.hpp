#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/jirasim/jql/date_operand.hpp"

namespace jirasim::jql {

// Operand values of one clause that depend on the evaluation context (now,
// account zone, current user, user directory), resolved once per context
// instead of once per issue.
struct BoundOperands {
  std::vector<TimeRange> ranges;         // date clauses
  std::vector<std::string> account_ids;  // user clauses
  std::vector<int64_t> issue_ids;        // parent clauses
};

// All context-dependent values of a query; clauses find theirs by slot.
struct Binding {
  std::vector<BoundOperands> slots;
};

}  // namespace jirasim::jql
