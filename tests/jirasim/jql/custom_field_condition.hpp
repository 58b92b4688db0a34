#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/jirasim/jql/condition.hpp"

namespace jirasim::jql {

// A custom field, by cf[N] or by its name; the issue's value is the raw JSON
// Jira returns for it (a number, a string, an option {"value", "id"}, a user,
// an array of these such as sprints). As in Jira:
// - = and IN match a string inside case-insensitively (an option's value, a
//   sprint's name) or a number inside by value (`cf[10016] = 5` finds 5.0);
// - != and NOT IN never match an issue without a value;
// - > >= < <= compare a number field's value (anything else does not match);
// - ~ finds the words in a string inside.
// No value, or JSON null, is EMPTY.
class CustomFieldCondition final : public Condition {
 public:
  struct Spec {
    std::string id;  // "customfield_10016"
    ClauseOperator op = ClauseOperator::Equals;
    std::vector<std::string> lower_values;       // = IN != NOT IN
    std::vector<std::optional<double>> numbers;  // each value read as a number, if it is one
    bool has_empty = false;
    double bound = 0;        // ordering
    std::string lower_text;  // ~ !~
  };
  explicit CustomFieldCondition(Spec spec) : s_(std::move(spec)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  Spec s_;
};

// The whole text read as a number (JQL's `5`, `"2.5"`), or nothing.
std::optional<double> jql_number(const std::string& text);

}  // namespace jirasim::jql
