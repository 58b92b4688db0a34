#include "tests/jirasim/jql/syntax.hpp"

#include "tests/jirasim/jql/ascii.hpp"

namespace jirasim::jql {

std::string_view operator_name(ClauseOperator op) {
  switch (op) {
    case ClauseOperator::Equals:
      return "=";
    case ClauseOperator::NotEquals:
      return "!=";
    case ClauseOperator::Contains:
      return "~";
    case ClauseOperator::NotContains:
      return "!~";
    case ClauseOperator::Greater:
      return ">";
    case ClauseOperator::GreaterOrEqual:
      return ">=";
    case ClauseOperator::Less:
      return "<";
    case ClauseOperator::LessOrEqual:
      return "<=";
    case ClauseOperator::In:
      return "in";
    case ClauseOperator::NotIn:
      return "not in";
    case ClauseOperator::Is:
      return "is";
    case ClauseOperator::IsNot:
      return "is not";
  }
  return "?";
}

bool is_reserved_word(std::string_view word) {
  static constexpr std::string_view kReserved[] = {"and", "or", "not", "empty", "null", "order",
                                                   "by",  "in", "is",  "asc",   "desc"};
  for (std::string_view r : kReserved) {
    if (equals_lower(word, r)) return true;
  }
  return false;
}

std::string encode_value(std::string_view value) {
  bool plain = !value.empty();
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (!(ascii_alnum(c) || c == '-' || c == '_' || c == '.' || u >= 0x80)) plain = false;
  }
  if (plain && is_reserved_word(value)) plain = false;
  if (plain) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string encode_operand(const Operand& operand) {
  switch (operand.kind) {
    case Operand::Kind::Value:
      return encode_value(operand.value);
    case Operand::Kind::Empty:
      return "EMPTY";
    case Operand::Kind::Function: {
      std::string out = operand.value + "(";
      for (size_t i = 0; i < operand.arguments.size(); ++i) {
        if (i) out += ", ";
        out += encode_value(operand.arguments[i]);
      }
      return out + ")";
    }
    case Operand::Kind::List: {
      std::string out = "(";
      for (size_t i = 0; i < operand.values.size(); ++i) {
        if (i) out += ", ";
        out += encode_operand(operand.values[i]);
      }
      return out + ")";
    }
  }
  return "";
}

}  // namespace jirasim::jql
