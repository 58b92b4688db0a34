#include "common/jql/jql_syntax.hpp"

namespace jirasync {

const char* to_string(JqlOperator op) {
  switch (op) {
    case JqlOperator::kEquals:
      return "=";
    case JqlOperator::kNotEquals:
      return "!=";
    case JqlOperator::kGreater:
      return ">";
    case JqlOperator::kGreaterOrEqual:
      return ">=";
    case JqlOperator::kLess:
      return "<";
    case JqlOperator::kLessOrEqual:
      return "<=";
    case JqlOperator::kContains:
      return "~";
    case JqlOperator::kNotContains:
      return "!~";
    case JqlOperator::kIn:
      return "in";
    case JqlOperator::kNotIn:
      return "not in";
    case JqlOperator::kIs:
      return "is";
    case JqlOperator::kIsNot:
      return "is not";
    case JqlOperator::kWas:
      return "was";
    case JqlOperator::kWasNot:
      return "was not";
    case JqlOperator::kWasIn:
      return "was in";
    case JqlOperator::kWasNotIn:
      return "was not in";
    case JqlOperator::kChanged:
      return "changed";
  }
  return "?";
}

}  // namespace jirasync
