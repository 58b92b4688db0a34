#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jirasim::jql {

enum class ClauseOperator {
  Equals,
  NotEquals,
  Contains,     // ~
  NotContains,  // !~
  Greater,
  GreaterOrEqual,
  Less,
  LessOrEqual,
  In,
  NotIn,
  Is,
  IsNot,
};

// Lower-case spelling, as /rest/api/3/jql/parse and Jira's messages use it.
std::string_view operator_name(ClauseOperator op);

// The right-hand side of a clause, exactly as written (unescaped).
struct Operand {
  enum class Kind { Value, List, Function, Empty };
  Kind kind = Kind::Value;
  std::string value;                   // Value: the text; Function: its name as written
  bool quoted = false;                 // Value came from a quoted string
  std::vector<std::string> arguments;  // Function
  std::vector<Operand> values;         // List
};

// A node of the WHERE tree.
struct Clause {
  enum class Kind { And, Or, Not, Terminal };
  Kind kind = Kind::Terminal;
  std::vector<Clause> children;  // And/Or: two or more; Not: one
  std::string field;             // Terminal: field name as written
  ClauseOperator op = ClauseOperator::Equals;
  Operand operand;
};

struct SortField {
  std::string field;  // as written
  std::optional<bool> ascending;
};

// A whole query as parsed, before field names and values are checked.
struct QuerySyntax {
  std::optional<Clause> where;
  std::vector<SortField> order_by;
};

// The operand as it would be written back into JQL ("(a, \"b c\")", "now()", "EMPTY").
std::string encode_operand(const Operand& operand);
// JQL words that must be quoted to be used as a value (case-insensitive).
bool is_reserved_word(std::string_view word);
// A value quoted only when it has to be.
std::string encode_value(std::string_view value);

}  // namespace jirasim::jql
