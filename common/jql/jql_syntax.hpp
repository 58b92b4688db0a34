#pragma once

#include <optional>
#include <string>
#include <vector>

namespace jirasync {

// The syntax tree of one JQL query, as written (no field or value checked yet;
// the compiler does that).

enum class JqlOperator {
  kEquals,
  kNotEquals,
  kGreater,
  kGreaterOrEqual,
  kLess,
  kLessOrEqual,
  kContains,     // ~
  kNotContains,  // !~
  kIn,
  kNotIn,
  kIs,
  kIsNot,
  // History operators: parsed so the error can name them, never compiled.
  kWas,
  kWasNot,
  kWasIn,
  kWasNotIn,
  kChanged,
};

// "=", "not in", "was not in", ...
const char* to_string(JqlOperator op);

struct JqlOperand {
  enum class Kind { kValue, kFunction, kList, kEmpty };
  Kind kind = Kind::kValue;
  std::string value;                   // kValue: the text; kFunction: the name
  bool quoted = false;                 // kValue written in quotes
  std::vector<std::string> arguments;  // kFunction
  std::vector<JqlOperand> items;       // kList
  int line = 0, character = 0;         // where it starts
};

struct JqlClause {
  enum class Kind { kAnd, kOr, kNot, kTerminal };
  Kind kind = Kind::kTerminal;
  std::vector<JqlClause> children;  // kAnd, kOr (two or more), kNot (one)
  // kTerminal
  std::string field;  // as written ("cf[10010]" for a custom field id)
  JqlOperator op = JqlOperator::kEquals;
  JqlOperand operand;     // absent for CHANGED (kind kEmpty)
  std::string predicate;  // history predicate text after WAS/CHANGED (AFTER, BY, ...), for errors
  int line = 0, character = 0;
};

struct JqlSortKey {
  std::string field;
  std::optional<bool> ascending;  // unset: the field's default direction
  int line = 0, character = 0;
};

struct JqlQuery {
  std::optional<JqlClause> where;  // unset: every issue
  std::vector<JqlSortKey> order_by;
};

}  // namespace jirasync
