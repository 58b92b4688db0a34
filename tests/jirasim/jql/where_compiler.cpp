#include "tests/jirasim/jql/where_compiler.hpp"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "tests/jirasim/jql/custom_field_condition.hpp"
#include "tests/jirasim/jql/field_catalog.hpp"

namespace jirasim::jql {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_ordering(ClauseOperator op) {
  return op == ClauseOperator::Greater || op == ClauseOperator::GreaterOrEqual ||
         op == ClauseOperator::Less || op == ClauseOperator::LessOrEqual;
}

const std::string& project_of(const SimIssue& i) {
  return i.project_key;
}
const std::string& issue_type_of(const SimIssue& i) {
  return i.issue_type;
}
const std::string& status_of(const SimIssue& i) {
  return i.status;
}
const std::string& status_category_of(const SimIssue& i) {
  return i.status_category;
}
const std::string& priority_of(const SimIssue& i) {
  return i.priority;
}
const std::string& resolution_of(const SimIssue& i) {
  return i.resolution;
}
const std::string& assignee_of(const SimIssue& i) {
  return i.assignee_id;
}
const std::string& reporter_of(const SimIssue& i) {
  return i.reporter_id;
}
const std::vector<std::string>& labels_of(const SimIssue& i) {
  return i.labels;
}
const std::vector<std::string>& components_of(const SimIssue& i) {
  return i.components;
}
const std::vector<std::string>& fix_versions_of(const SimIssue& i) {
  return i.fix_versions;
}
int64_t created_of(const SimIssue& i) {
  return i.created_ms;
}
int64_t updated_of(const SimIssue& i) {
  return i.updated_ms;
}
int64_t resolved_of(const SimIssue& i) {
  return i.resolution_ms;
}

bool is_known_function(std::string_view name) {
  if (find_date_function(name)) return true;
  for (std::string_view f : {"currentuser", "standardissuetypes", "subtaskissuetypes"}) {
    if (equals_lower(name, f)) return true;
  }
  return false;
}

class Compiler {
 public:
  explicit Compiler(const CustomFieldNames& custom_fields) : custom_fields_(custom_fields) {}

  CompiledWhere compile(const Clause& where) {
    CompiledWhere out;
    out.root = node(where);
    out.slot_count = slots_;
    out.needs_zone = needs_zone_;
    return out;
  }

 private:
  ConditionPtr node(const Clause& c) {
    if (c.kind == Clause::Kind::Terminal) return terminal(c);
    std::vector<ConditionPtr> children;
    for (const auto& child : c.children) children.push_back(node(child));
    const auto kind = c.kind == Clause::Kind::And  ? Junction::Kind::All
                      : c.kind == Clause::Kind::Or ? Junction::Kind::Any
                                                   : Junction::Kind::None;
    return std::make_unique<Junction>(kind, std::move(children));
  }

  // The operand checks every field shares, then the field's own compiler.
  ConditionPtr terminal(const Clause& c) {
    auto info = find_field(c.field);
    std::string custom_id;
    if (!info) {
      custom_id = custom_field_id(c.field);
      if (custom_id.empty()) {
        throw JqlError("Field '" + c.field +
                       "' does not exist or you do not have permission to view it.");
      }
      info = FieldInfo{FieldId::Custom, c.field, kCustomOperators, false};
    }
    const std::string op(operator_name(c.op));
    // List shape first: Jira reports `summary in test` as a non-list value.
    const bool list_op = c.op == ClauseOperator::In || c.op == ClauseOperator::NotIn;
    if (list_op && c.operand.kind == Operand::Kind::Value) {
      throw JqlError("Operator '" + op + "' does not support the non-list value '\"" +
                     c.operand.value + "\"' for field '" + c.field + "'.");
    }
    if (!list_op && c.operand.kind == Operand::Kind::List) {
      throw JqlError("Operator '" + op + "' does not support the list value '" +
                     encode_operand(c.operand) + "' for field '" + c.field + "'.");
    }
    if (!supports(*info, c.op)) {
      throw JqlError("The operator '" + op + "' is not supported by the '" + c.field + "' field.");
    }
    if ((is_ordering(c.op) || c.op == ClauseOperator::Contains ||
         c.op == ClauseOperator::NotContains) &&
        c.operand.kind == Operand::Kind::Empty) {
      throw JqlError("The operator '" + op + "' does not support the EMPTY keyword for field '" +
                     c.field + "'.");
    }
    items_.clear();
    if (c.operand.kind == Operand::Kind::List) {
      for (const auto& v : c.operand.values) items_.push_back(&v);
    } else {
      items_.push_back(&c.operand);
    }
    has_empty_ = false;
    for (const Operand* o : items_) {
      if (o->kind == Operand::Kind::Empty) has_empty_ = true;
      if (o->kind == Operand::Kind::Function && !is_known_function(o->value)) {
        throw JqlError("Unable to find JQL function '" + encode_operand(*o) + "'.");
      }
    }

    switch (info->id) {
      case FieldId::Custom:
        return custom(c, custom_id);
      case FieldId::Project:
        return project(c);
      case FieldId::IssueKey:
        return issue_key(c);
      case FieldId::IssueType:
        return names(c, issue_type_of, /*type_functions=*/true);
      case FieldId::Status:
        return names(c, status_of, false);
      case FieldId::StatusCategory:
        return status_category(c);
      case FieldId::Priority:
        return is_ordering(c.op) ? priority_rank_clause(c) : names(c, priority_of, false);
      case FieldId::Resolution:
        return resolution(c);
      case FieldId::Assignee:
        return user(c, assignee_of);
      case FieldId::Reporter:
        return user(c, reporter_of);
      case FieldId::Labels:
        return name_set(c, labels_of);
      case FieldId::Component:
        return name_set(c, components_of);
      case FieldId::FixVersion:
        return name_set(c, fix_versions_of);
      case FieldId::Parent:
        return parent(c);
      case FieldId::Summary:
        return text(c, TextCondition::Target::Summary);
      case FieldId::Description:
        return text(c, TextCondition::Target::Description);
      case FieldId::Text:
        return text(c, TextCondition::Target::Text);
      case FieldId::Created:
        return dates(c, created_of);
      case FieldId::Updated:
        return dates(c, updated_of);
      case FieldId::ResolutionDate:
        return dates(c, resolved_of);
    }
    throw JqlError("Field '" + c.field + "' is not supported.");
  }

  [[noreturn]] static void function_not_for(const Clause& c, const Operand& o) {
    throw JqlError("A value provided by the function '" + o.value + "' is invalid for the field '" +
                   c.field + "'.");
  }

  // Plain values only (functions other than `allowed` are refused).
  std::vector<std::string> plain_values(const Clause& c) {
    std::vector<std::string> out;
    for (const Operand* o : items_) {
      if (o->kind == Operand::Kind::Function) function_not_for(c, *o);
      if (o->kind == Operand::Kind::Value) out.push_back(o->value);
    }
    return out;
  }

  ConditionPtr names(const Clause& c, NameCondition::Accessor field, bool type_functions) {
    NameCondition::Spec s;
    s.field = field;
    s.op = c.op;
    s.has_empty = has_empty_;
    for (const Operand* o : items_) {
      if (o->kind == Operand::Kind::Function) {
        if (type_functions && equals_lower(o->value, "subtaskissuetypes")) {
          s.subtask_types = true;
        } else if (type_functions && equals_lower(o->value, "standardissuetypes")) {
          s.standard_types = true;
        } else {
          function_not_for(c, *o);
        }
      } else if (o->kind == Operand::Kind::Value) {
        s.lower_values.push_back(lowered(o->value));
      }
    }
    return std::make_unique<NameCondition>(std::move(s));
  }

  ConditionPtr project(const Clause& c) {
    NameCondition::Spec s;
    s.field = project_of;
    s.op = c.op;
    s.has_empty = has_empty_;
    for (const auto& v : plain_values(c)) {
      if (all_digits(v)) s.project_ids.push_back(std::stoll(v));
      s.lower_values.push_back(lowered(v));
    }
    return std::make_unique<NameCondition>(std::move(s));
  }

  ConditionPtr status_category(const Clause& c) {
    NameCondition::Spec s;
    s.field = status_category_of;
    s.op = c.op;
    s.has_empty = has_empty_;
    for (const auto& v : plain_values(c)) {
      const std::string l = lowered(v);
      if (l == "to do" || l == "new" || l == "2") {
        s.lower_values.push_back("new");
      } else if (l == "in progress" || l == "indeterminate" || l == "4") {
        s.lower_values.push_back("indeterminate");
      } else if (l == "done" || l == "3") {
        s.lower_values.push_back("done");
      } else {
        throw JqlError("The value '" + v + "' does not exist for the field '" + c.field + "'.");
      }
    }
    return std::make_unique<NameCondition>(std::move(s));
  }

  ConditionPtr resolution(const Clause& c) {
    NameCondition::Spec s;
    s.field = resolution_of;
    s.op = c.op;
    s.has_empty = has_empty_;
    for (const auto& v : plain_values(c)) {
      // "Unresolved" is Jira's name for the empty resolution.
      if (equals_lower(v, "unresolved")) {
        s.has_empty = true;
      } else {
        s.lower_values.push_back(lowered(v));
      }
    }
    // `resolution != Unresolved` means "resolved".
    if ((c.op == ClauseOperator::NotEquals || c.op == ClauseOperator::NotIn) && s.has_empty &&
        s.lower_values.empty()) {
      s.op = ClauseOperator::IsNot;
    }
    return std::make_unique<NameCondition>(std::move(s));
  }

  ConditionPtr priority_rank_clause(const Clause& c) {
    const auto values = plain_values(c);
    const int rank = priority_rank(values.front());
    if (rank == 0) {
      throw JqlError("The value '" + values.front() + "' does not exist for the field '" + c.field +
                     "'.");
    }
    return std::make_unique<PriorityRankCondition>(c.op, rank);
  }

  ConditionPtr name_set(const Clause& c, NameSetCondition::Accessor field) {
    std::vector<std::string> values;
    for (const auto& v : plain_values(c)) values.push_back(lowered(v));
    return std::make_unique<NameSetCondition>(field, c.op, std::move(values), has_empty_);
  }

  std::vector<IssueRef> issue_refs(const Clause& c) {
    std::vector<IssueRef> refs;
    for (const auto& v : plain_values(c)) {
      IssueRef r;
      r.text = v;
      std::string_view project;
      if (all_digits(v)) {
        r.is_id = true;
        r.id = std::stoll(v);
      } else if (split_issue_key(v, project, r.number) &&
                 std::isalpha(static_cast<unsigned char>(project.front()))) {
        r.lower_project = lowered(project);
      } else {
        throw JqlError("The issue key '" + v + "' for field '" + c.field + "' is invalid.");
      }
      refs.push_back(std::move(r));
    }
    return refs;
  }

  ConditionPtr issue_key(const Clause& c) {
    if (has_empty_) {
      throw JqlError("The field '" + c.field + "' does not support searching for EMPTY values.");
    }
    return std::make_unique<IssueKeyCondition>(c.op, issue_refs(c));
  }

  ConditionPtr parent(const Clause& c) {
    if (has_empty_) {
      throw JqlError("The field '" + c.field + "' does not support searching for EMPTY values.");
    }
    return std::make_unique<ParentCondition>(c.op, issue_refs(c), c.field, slots_++);
  }

  ConditionPtr user(const Clause& c, UserCondition::Accessor field) {
    UserCondition::Spec s;
    s.field = field;
    s.field_name = c.field;
    s.op = c.op;
    s.has_empty = has_empty_;
    for (const Operand* o : items_) {
      if (o->kind == Operand::Kind::Function) {
        if (!equals_lower(o->value, "currentuser")) function_not_for(c, *o);
        if (!o->arguments.empty()) {
          throw JqlError("Function '" + o->value + "' expected '0' arguments but got '" +
                         std::to_string(o->arguments.size()) + "'.");
        }
        s.current_user = true;
      } else if (o->kind == Operand::Kind::Value) {
        s.names.push_back(o->value);
      }
    }
    s.slot = slots_++;
    return std::make_unique<UserCondition>(std::move(s));
  }

  ConditionPtr dates(const Clause& c, DateCondition::Accessor field) {
    std::vector<DateOperand> operands;
    for (const Operand* o : items_) {
      if (o->kind == Operand::Kind::Function) {
        const auto fn = find_date_function(o->value);
        if (!fn) function_not_for(c, *o);
        operands.push_back(date_operand_from_function(*fn, o->value, o->arguments));
      } else if (o->kind == Operand::Kind::Value) {
        operands.push_back(date_operand_from_value(o->value, c.field));
      }
    }
    bool contextual = false;
    for (const auto& o : operands) contextual = contextual || o.needs_zone();
    needs_zone_ = needs_zone_ || contextual;
    // Epoch-ms bounds (the incremental sync's query) need no per-context binding.
    const size_t slot = contextual ? slots_++ : DateCondition::kNoSlot;
    return std::make_unique<DateCondition>(field, c.op, std::move(operands), has_empty_, slot);
  }

  ConditionPtr text(const Clause& c, TextCondition::Target target) {
    TextQuery query;
    if (c.op == ClauseOperator::Contains || c.op == ClauseOperator::NotContains) {
      const auto values = plain_values(c);
      query = TextQuery::parse(values.front());
      if (query.empty()) {
        throw JqlError("The field '" + c.field +
                       "' does not support searching for an empty string.");
      }
    }
    return std::make_unique<TextCondition>(target, c.op, std::move(query));
  }

  // "customfield_N" for cf[N] or a custom field's name, else "".
  std::string custom_field_id(const std::string& field) const {
    const std::string name = lowered(field);
    if (name.size() > 4 && name.rfind("cf[", 0) == 0 && name.back() == ']' &&
        all_digits(std::string_view(name).substr(3, name.size() - 4))) {
      return "customfield_" + name.substr(3, name.size() - 4);
    }
    const auto it = custom_fields_.find(name);
    return it == custom_fields_.end() ? "" : it->second;
  }

  ConditionPtr custom(const Clause& c, const std::string& id) {
    CustomFieldCondition::Spec s;
    s.id = id;
    s.op = c.op;
    s.has_empty = has_empty_;
    const auto values = plain_values(c);
    if (is_ordering(c.op)) {
      const auto number = jql_number(values.front());
      if (!number) {
        throw JqlError("The value '" + values.front() + "' for field '" + c.field +
                       "' is not a number.");
      }
      s.bound = *number;
    } else if (c.op == ClauseOperator::Contains || c.op == ClauseOperator::NotContains) {
      s.lower_text = lowered(values.front());
      if (s.lower_text.empty()) {
        throw JqlError("The field '" + c.field +
                       "' does not support searching for an empty string.");
      }
    } else {
      for (const auto& v : values) {
        s.lower_values.push_back(lowered(v));
        s.numbers.push_back(jql_number(v));
      }
    }
    return std::make_unique<CustomFieldCondition>(std::move(s));
  }

  const CustomFieldNames& custom_fields_;
  std::vector<const Operand*> items_;  // operands of the clause being compiled
  bool has_empty_ = false;
  size_t slots_ = 0;
  bool needs_zone_ = false;
};

}  // namespace

CompiledWhere compile_where(const Clause& where, const CustomFieldNames& custom_fields) {
  return Compiler(custom_fields).compile(where);
}

}  // namespace jirasim::jql
