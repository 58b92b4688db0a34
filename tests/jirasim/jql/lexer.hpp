#pragma once

#include <string>
#include <vector>

#include "tests/jirasim/jql/token.hpp"

namespace jirasim::jql {

// Splits JQL into tokens the way Jira's grammar does: whitespace separates,
// ( ) , and the comparison operators stand alone, quoted strings unescape
// \" \' \\ \n \r \t \uXXXX, and characters Jira reserves must be quoted.
// The last token is always End. Throws JqlError with Jira's wording.
std::vector<Token> tokenize(const std::string& jql);

// " (line L, character C)" as Jira appends it to syntax errors.
std::string position_suffix(int line, int column);

}  // namespace jirasim::jql
