#pragma once

#include <string>

#include "tests/jirasim/jql/syntax.hpp"

namespace jirasim::jql {

// The `structure` object of /rest/api/3/jql/parse (schema JqlQuery): `where`
// as CompoundClause / FieldValueClause with Value, List, Function and Keyword
// operands, `orderBy` as JqlQueryOrderByClause. Keys are in the order
// Atlassian's example prints them.
std::string structure_json(const QuerySyntax& query);

}  // namespace jirasim::jql
