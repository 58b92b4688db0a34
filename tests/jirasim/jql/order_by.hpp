#pragma once

#include <vector>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

// Checks ORDER BY fields and gives each its canonical name and direction.
// Without ASC/DESC a field takes Jira's default: newest first for created,
// updated and resolutiondate, highest first for priority, ascending otherwise.
// A custom field (cf[N], or its name in `custom_fields`) becomes its id
// ("customfield_10016"), ascending by default (custom_field_order.hpp).
// Throws JqlError.
std::vector<OrderKey> compile_order_by(const std::vector<SortField>& fields,
                                       const CustomFieldNames& custom_fields = {});

}  // namespace jirasim::jql
