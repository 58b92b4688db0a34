#include "tests/jirasim/jql/custom_field_condition.hpp"

#include <rapidjson/document.h>

#include <cstdlib>

namespace jirasim::jql {
namespace {

std::string lower_copy(const char* s, size_t n) {
  std::string out(s, n);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Calls `visit(text, number)` for every string (number unset) and number
// inside `v`, depth first; stops when it returns true.
template <typename Visit>
bool any_scalar(const rapidjson::Value& v, const Visit& visit) {
  if (v.IsString()) return visit(lower_copy(v.GetString(), v.GetStringLength()), std::nullopt);
  if (v.IsNumber()) return visit(std::string(), std::optional<double>(v.GetDouble()));
  if (v.IsArray()) {
    for (const auto& item : v.GetArray()) {
      if (any_scalar(item, visit)) return true;
    }
  }
  if (v.IsObject()) {
    for (const auto& member : v.GetObject()) {
      if (any_scalar(member.value, visit)) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<double> jql_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return d;
}

bool CustomFieldCondition::test(const SimIssue& issue, const Binding&, const EvalContext&) const {
  rapidjson::Document doc;
  const auto it = issue.custom_fields.find(s_.id);
  if (it != issue.custom_fields.end()) doc.Parse(it->second.data(), it->second.size());
  const bool empty = it == issue.custom_fields.end() || doc.HasParseError() || doc.IsNull();
  switch (s_.op) {
    case ClauseOperator::Greater:
    case ClauseOperator::GreaterOrEqual:
    case ClauseOperator::Less:
    case ClauseOperator::LessOrEqual: {
      if (empty || !doc.IsNumber()) return false;
      const double v = doc.GetDouble();
      if (s_.op == ClauseOperator::Greater) return v > s_.bound;
      if (s_.op == ClauseOperator::GreaterOrEqual) return v >= s_.bound;
      if (s_.op == ClauseOperator::Less) return v < s_.bound;
      return v <= s_.bound;
    }
    case ClauseOperator::Contains:
    case ClauseOperator::NotContains: {
      const bool found =
          !empty && any_scalar(doc, [&](const std::string& text, std::optional<double> number) {
            return !number && text.find(s_.lower_text) != std::string::npos;
          });
      return s_.op == ClauseOperator::Contains ? found : !empty && !found;
    }
    default:
      break;
  }
  const bool found =
      !empty && any_scalar(doc, [&](const std::string& text, std::optional<double> number) {
        for (size_t i = 0; i < s_.lower_values.size(); ++i) {
          if (number ? (s_.numbers[i] && *s_.numbers[i] == *number) : text == s_.lower_values[i]) {
            return true;
          }
        }
        return false;
      });
  return equality_result(s_.op, empty, found, s_.has_empty);
}

}  // namespace jirasim::jql
