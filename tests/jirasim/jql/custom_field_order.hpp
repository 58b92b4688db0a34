#pragma once

#include <string>

#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql {

// ORDER BY a custom field: each issue's value (raw JSON) sorts by
// - a number: its value;
// - a string (text, date, date-time): its ASCII-lower-case text;
// - an object: its "value" (an option), else "name", else "displayName";
// - an array: its first item, as above (a sprint list by the first sprint);
// - nothing else, JSON null, an empty array: empty, after every value (before
//   them when descending), as Jira places empty values.
// Numbers come before text in the one field that holds both (none does).
// Jira orders a select list by its options' configured order, which neither
// the cache nor this simulator knows: both sort options by value.
// Negative, zero or positive as `a` sorts before, with or after `b` (ascending).
int compare_custom_field(const std::string& id, const SimIssue& a, const SimIssue& b);

}  // namespace jirasim::jql
