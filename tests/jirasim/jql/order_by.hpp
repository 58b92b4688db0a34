#pragma once

#include <vector>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

// Checks ORDER BY fields and gives each its canonical name and direction.
// Without ASC/DESC a field takes Jira's default: newest first for created,
// updated and resolutiondate, highest first for priority, ascending otherwise.
// Throws JqlError.
std::vector<OrderKey> compile_order_by(const std::vector<SortField>& fields);

}  // namespace jirasim::jql
