#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/binding.hpp"
#include "tests/jirasim/jql/date_operand.hpp"
#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/syntax.hpp"
#include "tests/jirasim/jql/text_search.hpp"

namespace jirasim::jql {

// A compiled WHERE node. test() runs once per issue and must not allocate in
// the common paths; everything context-dependent was resolved by bind().
class Condition {
 public:
  virtual ~Condition() = default;
  virtual bool test(const SimIssue& issue, const Binding& binding,
                    const EvalContext& ctx) const = 0;
  // Resolves this node's context-dependent operands into binding.slots. May throw JqlError.
  virtual void bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const;
};

using ConditionPtr = std::unique_ptr<Condition>;

// AND / OR / NOT over child conditions.
class Junction final : public Condition {
 public:
  enum class Kind { All, Any, None };
  Junction(Kind kind, std::vector<ConditionPtr> children)
      : kind_(kind), children_(std::move(children)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;
  void bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const override;

 private:
  Kind kind_;
  std::vector<ConditionPtr> children_;
};

// The equality family (=, !=, IN, NOT IN, IS, IS NOT) given whether the
// issue's value is empty and whether it equals one of the operands. Like Jira,
// != and NOT IN never match an empty value.
bool equality_result(ClauseOperator op, bool value_empty, bool found, bool operand_has_empty);

// A single-valued name compared case-insensitively: project, issuetype, status,
// statusCategory (by key), priority, resolution.
class NameCondition final : public Condition {
 public:
  using Accessor = const std::string& (*)(const SimIssue&);
  struct Spec {
    Accessor field = nullptr;
    ClauseOperator op = ClauseOperator::Equals;
    std::vector<std::string> lower_values;
    std::vector<int64_t> project_ids;  // project = 10000
    bool has_empty = false;
    bool subtask_types = false;   // subTaskIssueTypes()
    bool standard_types = false;  // standardIssueTypes()
  };
  explicit NameCondition(Spec spec) : s_(std::move(spec)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  Spec s_;
};

// A multi-valued field (labels, component, fixVersion): "=" means "contains".
class NameSetCondition final : public Condition {
 public:
  using Accessor = const std::vector<std::string>& (*)(const SimIssue&);
  NameSetCondition(Accessor field, ClauseOperator op, std::vector<std::string> lower_values,
                   bool has_empty)
      : field_(field), op_(op), values_(std::move(lower_values)), has_empty_(has_empty) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  Accessor field_;
  ClauseOperator op_;
  std::vector<std::string> values_;
  bool has_empty_;
};

// priority > High etc., by rank (Highest 5 .. Lowest 1).
class PriorityRankCondition final : public Condition {
 public:
  PriorityRankCondition(ClauseOperator op, int rank) : op_(op), rank_(rank) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  ClauseOperator op_;
  int rank_;
};

// An issue key ("ABC-12") or id ("10001") written in a query.
struct IssueRef {
  bool is_id = false;
  int64_t id = 0;
  std::string lower_project;  // keys only
  int64_t number = 0;         // keys only
  std::string text;           // as written
};

// key / issuekey / id: equality also finds moved issues by their old keys;
// ordering compares numbers within the key's project (or ids).
class IssueKeyCondition final : public Condition {
 public:
  IssueKeyCondition(ClauseOperator op, std::vector<IssueRef> refs)
      : op_(op), refs_(std::move(refs)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  ClauseOperator op_;
  std::vector<IssueRef> refs_;
};

// parent = KEY|id: keys resolve to ids through EvalContext::resolve_issue_key.
class ParentCondition final : public Condition {
 public:
  ParentCondition(ClauseOperator op, std::vector<IssueRef> refs, std::string field, size_t slot)
      : op_(op), refs_(std::move(refs)), field_(std::move(field)), slot_(slot) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;
  void bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const override;

 private:
  ClauseOperator op_;
  std::vector<IssueRef> refs_;
  std::string field_;
  size_t slot_;
};

// assignee / reporter: names, emails and account ids resolve through
// EvalContext::resolve_user; currentUser() is EvalContext::current_account_id.
class UserCondition final : public Condition {
 public:
  using Accessor = const std::string& (*)(const SimIssue&);
  struct Spec {
    Accessor field = nullptr;
    std::string field_name;  // as written, for errors
    ClauseOperator op = ClauseOperator::Equals;
    std::vector<std::string> names;
    bool current_user = false;
    bool has_empty = false;
    size_t slot = 0;
  };
  explicit UserCondition(Spec spec) : s_(std::move(spec)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;
  void bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const override;

 private:
  Spec s_;
};

// created / updated / resolutiondate against dates, epoch ms, periods and functions.
// =, !=, IN, NOT IN match the operand's whole range (a day, a minute); the
// ordering operators compare with the range's start, as Jira does
// (`created <= "2025-01-02"` stops at that local midnight).
class DateCondition final : public Condition {
 public:
  using Accessor = int64_t (*)(const SimIssue&);  // 0 = empty
  static constexpr size_t kNoSlot = static_cast<size_t>(-1);
  // slot == kNoSlot: every operand is an absolute instant, resolved here once.
  DateCondition(Accessor field, ClauseOperator op, std::vector<DateOperand> operands,
                bool has_empty, size_t slot);
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;
  void bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const override;

 private:
  Accessor field_;
  ClauseOperator op_;
  std::vector<DateOperand> operands_;
  bool has_empty_;
  size_t slot_;
  std::vector<TimeRange> fixed_;  // used when slot_ == kNoSlot
};

// summary / description / text with ~, !~, IS [NOT] EMPTY. See TextQuery.
class TextCondition final : public Condition {
 public:
  enum class Target { Summary, Description, Text };
  TextCondition(Target target, ClauseOperator op, TextQuery query)
      : target_(target), op_(op), query_(std::move(query)) {}
  bool test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const override;

 private:
  bool contains(const SimIssue& issue, const EvalContext& ctx) const;
  Target target_;
  ClauseOperator op_;
  TextQuery query_;
};

// Priority rank: Highest 5, High 4, Medium 3, Low 2, Lowest 1, anything else 0.
int priority_rank(std::string_view priority);

// Splits "ABC-12" into project and number; false when it is no issue key.
bool split_issue_key(std::string_view key, std::string_view& project, int64_t& number);

}  // namespace jirasim::jql
