#pragma once

#include <string_view>

#include "common/jql/jql_error.hpp"
#include "common/jql/jql_syntax.hpp"

namespace jirasync {

// Parses JQL into its syntax tree. Checks the grammar only: which fields,
// values and functions the cache knows is the compiler's business
// (compile_jql), so a template can be parsed without a database.
//
// Throws JqlError: kSyntax with Jira's wording and position ("Error in the JQL
// Query: Expecting ')' but got 'ORDER'. (line 1, character 20)"), or
// kUnsupported for history searches (WAS, CHANGED), which are valid Jira JQL
// but need Jira itself: a live search may still send such a query to Jira.
JqlQuery parse_jql(std::string_view text);

}  // namespace jirasync
