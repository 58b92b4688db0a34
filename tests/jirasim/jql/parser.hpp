#pragma once

#include <string>

#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

// Recursive-descent JQL parser: NOT binds tighter than AND, AND tighter than
// OR; keywords are case-insensitive. Only syntax is checked here (field names
// and values are checked when the query is compiled). Throws JqlError with
// Jira's wording and position.
QuerySyntax parse_syntax(const std::string& jql);

}  // namespace jirasim::jql
