#include "tests/jirasim/jql/condition.hpp"

namespace jirasim::jql {
namespace {

bool compare(ClauseOperator op, int64_t value, int64_t operand) {
  switch (op) {
    case ClauseOperator::Greater:
      return value > operand;
    case ClauseOperator::GreaterOrEqual:
      return value >= operand;
    case ClauseOperator::Less:
      return value < operand;
    case ClauseOperator::LessOrEqual:
      return value <= operand;
    default:
      return false;
  }
}

bool is_ordering(ClauseOperator op) {
  return op == ClauseOperator::Greater || op == ClauseOperator::GreaterOrEqual ||
         op == ClauseOperator::Less || op == ClauseOperator::LessOrEqual;
}

bool key_matches(std::string_view key, const IssueRef& ref) {
  std::string_view project;
  int64_t number = 0;
  return split_issue_key(key, project, number) && number == ref.number &&
         equals_lower(project, ref.lower_project);
}

}  // namespace

void Condition::bind(const EvalContext&, const AccountZone*, Binding&) const {}

int priority_rank(std::string_view p) {
  if (equals_lower(p, "highest")) return 5;
  if (equals_lower(p, "high")) return 4;
  if (equals_lower(p, "medium")) return 3;
  if (equals_lower(p, "low")) return 2;
  if (equals_lower(p, "lowest")) return 1;
  return 0;
}

bool split_issue_key(std::string_view key, std::string_view& project, int64_t& number) {
  const size_t dash = key.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= key.size()) return false;
  if (dash + 1 + 15 < key.size()) return false;  // would overflow
  int64_t n = 0;
  for (size_t i = dash + 1; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return false;
    n = n * 10 + (key[i] - '0');
  }
  project = key.substr(0, dash);
  number = n;
  return true;
}

bool equality_result(ClauseOperator op, bool value_empty, bool found, bool operand_has_empty) {
  switch (op) {
    case ClauseOperator::Equals:
    case ClauseOperator::In:
      return value_empty ? operand_has_empty : found;
    case ClauseOperator::NotEquals:
    case ClauseOperator::NotIn:
      return !value_empty && !found;
    case ClauseOperator::Is:
      return value_empty;
    case ClauseOperator::IsNot:
      return !value_empty;
    default:
      return false;
  }
}

bool Junction::test(const SimIssue& issue, const Binding& binding, const EvalContext& ctx) const {
  switch (kind_) {
    case Kind::All:
      for (const auto& c : children_) {
        if (!c->test(issue, binding, ctx)) return false;
      }
      return true;
    case Kind::Any:
      for (const auto& c : children_) {
        if (c->test(issue, binding, ctx)) return true;
      }
      return false;
    case Kind::None:
      return !children_.front()->test(issue, binding, ctx);
  }
  return false;
}

void Junction::bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const {
  for (const auto& c : children_) c->bind(ctx, zone, binding);
}

bool NameCondition::test(const SimIssue& issue, const Binding&, const EvalContext&) const {
  const std::string& value = s_.field(issue);
  bool found = false;
  for (const auto& v : s_.lower_values) {
    if (equals_lower(value, v)) {
      found = true;
      break;
    }
  }
  if (!found && !s_.project_ids.empty()) {
    for (int64_t id : s_.project_ids) found = found || issue.project_id == id;
  }
  if (s_.subtask_types && issue.subtask) found = true;
  if (s_.standard_types && !issue.subtask) found = true;
  return equality_result(s_.op, value.empty(), found, s_.has_empty);
}

bool NameSetCondition::test(const SimIssue& issue, const Binding&, const EvalContext&) const {
  const auto& names = field_(issue);
  bool found = false;
  for (const auto& name : names) {
    for (const auto& v : values_) {
      if (equals_lower(name, v)) {
        found = true;
        break;
      }
    }
    if (found) break;
  }
  return equality_result(op_, names.empty(), found, has_empty_);
}

bool PriorityRankCondition::test(const SimIssue& issue, const Binding&, const EvalContext&) const {
  const int rank = priority_rank(issue.priority);
  return rank != 0 && compare(op_, rank, rank_);
}

bool IssueKeyCondition::test(const SimIssue& issue, const Binding&, const EvalContext&) const {
  if (is_ordering(op_)) {
    const IssueRef& ref = refs_.front();
    if (ref.is_id) return compare(op_, issue.id, ref.id);
    std::string_view project;
    int64_t number = 0;
    return split_issue_key(issue.key, project, number) &&
           equals_lower(project, ref.lower_project) && compare(op_, number, ref.number);
  }
  bool found = false;
  for (const auto& ref : refs_) {
    if (ref.is_id) {
      found = issue.id == ref.id;
    } else {
      found = key_matches(issue.key, ref);
      for (size_t i = 0; !found && i < issue.old_keys.size(); ++i) {
        found = key_matches(issue.old_keys[i], ref);
      }
    }
    if (found) break;
  }
  return equality_result(op_, /*value_empty=*/false, found, false);
}

void ParentCondition::bind(const EvalContext& ctx, const AccountZone*, Binding& binding) const {
  auto& ids = binding.slots[slot_].issue_ids;
  for (const auto& ref : refs_) {
    if (ref.is_id) {
      ids.push_back(ref.id);
      continue;
    }
    const int64_t id = ctx.resolve_issue_key ? ctx.resolve_issue_key(ref.text) : 0;
    if (id == 0) {
      throw JqlError("An issue with key '" + ref.text + "' does not exist for field '" + field_ +
                     "'.");
    }
    ids.push_back(id);
  }
}

bool ParentCondition::test(const SimIssue& issue, const Binding& binding,
                           const EvalContext&) const {
  bool found = false;
  for (int64_t id : binding.slots[slot_].issue_ids) found = found || issue.parent_id == id;
  return equality_result(op_, issue.parent_id == 0, found, false);
}

void UserCondition::bind(const EvalContext& ctx, const AccountZone*, Binding& binding) const {
  auto& ids = binding.slots[s_.slot].account_ids;
  for (const auto& name : s_.names) {
    std::string id = ctx.resolve_user ? ctx.resolve_user(name) : name;
    if (id.empty()) {
      throw JqlError("The value '" + name + "' does not exist for the field '" + s_.field_name +
                     "'.");
    }
    ids.push_back(std::move(id));
  }
  // An anonymous caller's currentUser() matches nobody, as in Jira.
  if (s_.current_user && !ctx.current_account_id.empty()) ids.push_back(ctx.current_account_id);
}

bool UserCondition::test(const SimIssue& issue, const Binding& binding, const EvalContext&) const {
  const std::string& value = s_.field(issue);
  bool found = false;
  for (const auto& id : binding.slots[s_.slot].account_ids) {
    if (value == id) {
      found = true;
      break;
    }
  }
  return equality_result(s_.op, value.empty(), found, s_.has_empty);
}

DateCondition::DateCondition(Accessor field, ClauseOperator op, std::vector<DateOperand> operands,
                             bool has_empty, size_t slot)
    : field_(field), op_(op), operands_(std::move(operands)), has_empty_(has_empty), slot_(slot) {
  if (slot_ == kNoSlot) {
    for (const auto& o : operands_) fixed_.push_back(resolve_date(o, 0, nullptr));
  }
}

void DateCondition::bind(const EvalContext& ctx, const AccountZone* zone, Binding& binding) const {
  if (slot_ == kNoSlot) return;
  auto& ranges = binding.slots[slot_].ranges;
  for (const auto& o : operands_) ranges.push_back(resolve_date(o, ctx.now_ms, zone));
}

bool DateCondition::test(const SimIssue& issue, const Binding& binding, const EvalContext&) const {
  const int64_t value = field_(issue);
  const bool empty = value == 0;
  const auto& ranges = slot_ == kNoSlot ? fixed_ : binding.slots[slot_].ranges;
  if (is_ordering(op_)) return !empty && compare(op_, value, ranges.front().first_ms);
  bool found = false;
  for (const auto& r : ranges) {
    if (r.contains(value)) {
      found = true;
      break;
    }
  }
  return equality_result(op_, empty, found, has_empty_);
}

bool TextCondition::contains(const SimIssue& issue, const EvalContext& ctx) const {
  switch (target_) {
    case Target::Summary:
      return query_.all_in(issue.summary);
    case Target::Description:
      return ctx.description_text && query_.all_in(ctx.description_text(issue));
    case Target::Text: {
      // Each term may be in either field; the description is rendered only when needed.
      std::string description;
      bool rendered = false;
      for (size_t i = 0; i < query_.term_count(); ++i) {
        if (query_.term_in(i, issue.summary)) continue;
        if (!rendered) {
          if (ctx.description_text) description = ctx.description_text(issue);
          rendered = true;
        }
        if (!query_.term_in(i, description)) return false;
      }
      return true;
    }
  }
  return false;
}

bool TextCondition::test(const SimIssue& issue, const Binding&, const EvalContext& ctx) const {
  switch (op_) {
    case ClauseOperator::Contains:
      return contains(issue, ctx);
    case ClauseOperator::NotContains:
      return !contains(issue, ctx);
    case ClauseOperator::Is:
    case ClauseOperator::IsNot: {
      const bool empty = target_ == Target::Summary
                             ? issue.summary.empty()
                             : !ctx.description_text || ctx.description_text(issue).empty();
      return (op_ == ClauseOperator::Is) == empty;
    }
    default:
      return false;
  }
}

}  // namespace jirasim::jql
