#include "common/jql/sql_compiler.hpp"

#include <cmath>
#include <optional>
#include <string_view>

#include "common/jql/custom_field_names.hpp"
#include "common/jql/jql_date.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/text_terms.hpp"

namespace jirasync {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

enum class Field {
  kProject,
  kKey,
  kId,
  kSummary,
  kDescription,
  kText,
  kEnvironment,
  kComment,
  kStatus,
  kStatusCategory,
  kPriority,
  kAssignee,
  kReporter,
  kCreator,
  kIssueType,
  kLabels,
  kComponent,
  kFixVersion,
  kAffectedVersion,
  kResolution,
  kCreated,
  kUpdated,
  kResolved,
  kDueDate,
  kParent,
  kCustom,
  kLocalTag,
  kLocalLink,
  kLocalNote,
  kLocalChange,
  kLocalChanged,
};

constexpr unsigned bit(JqlOperator op) {
  return 1u << static_cast<unsigned>(op);
}
constexpr unsigned kEquality = bit(JqlOperator::kEquals) | bit(JqlOperator::kNotEquals) |
                               bit(JqlOperator::kIn) | bit(JqlOperator::kNotIn);
constexpr unsigned kEmptiness = bit(JqlOperator::kIs) | bit(JqlOperator::kIsNot);
constexpr unsigned kOrdering = bit(JqlOperator::kGreater) | bit(JqlOperator::kGreaterOrEqual) |
                               bit(JqlOperator::kLess) | bit(JqlOperator::kLessOrEqual);
constexpr unsigned kTextOps = bit(JqlOperator::kContains) | bit(JqlOperator::kNotContains);

struct FieldInfo {
  Field id;
  unsigned operators;
};

// Jira's names (and aliases), lower-case. The local fields carry the `local.`
// prefix, which no Jira system field has; a custom field named like one is
// still reachable as cf[N].
const std::pair<std::string_view, FieldInfo> kFields[] = {
    {"project", {Field::kProject, kEquality | kEmptiness}},
    {"key", {Field::kKey, kEquality | kOrdering}},
    {"issuekey", {Field::kKey, kEquality | kOrdering}},
    {"id", {Field::kId, kEquality | kOrdering}},
    {"summary", {Field::kSummary, kTextOps | kEmptiness}},
    {"description", {Field::kDescription, kTextOps | kEmptiness}},
    {"text", {Field::kText, bit(JqlOperator::kContains)}},
    {"environment", {Field::kEnvironment, kTextOps | kEmptiness}},
    {"comment", {Field::kComment, kTextOps}},
    {"status", {Field::kStatus, kEquality}},
    {"statuscategory", {Field::kStatusCategory, kEquality}},
    {"priority", {Field::kPriority, kEquality | kEmptiness | kOrdering}},
    {"assignee", {Field::kAssignee, kEquality | kEmptiness}},
    {"reporter", {Field::kReporter, kEquality | kEmptiness}},
    {"creator", {Field::kCreator, kEquality | kEmptiness}},
    {"issuetype", {Field::kIssueType, kEquality | kEmptiness}},
    {"type", {Field::kIssueType, kEquality | kEmptiness}},
    {"labels", {Field::kLabels, kEquality | kEmptiness}},
    {"component", {Field::kComponent, kEquality | kEmptiness}},
    {"fixversion", {Field::kFixVersion, kEquality | kEmptiness}},
    {"affectedversion", {Field::kAffectedVersion, kEquality | kEmptiness}},
    {"resolution", {Field::kResolution, kEquality | kEmptiness}},
    {"created", {Field::kCreated, kEquality | kEmptiness | kOrdering}},
    {"createddate", {Field::kCreated, kEquality | kEmptiness | kOrdering}},
    {"updated", {Field::kUpdated, kEquality | kEmptiness | kOrdering}},
    {"updateddate", {Field::kUpdated, kEquality | kEmptiness | kOrdering}},
    {"resolved", {Field::kResolved, kEquality | kEmptiness | kOrdering}},
    {"resolutiondate", {Field::kResolved, kEquality | kEmptiness | kOrdering}},
    {"duedate", {Field::kDueDate, kEquality | kEmptiness | kOrdering}},
    {"due", {Field::kDueDate, kEquality | kEmptiness | kOrdering}},
    {"parent", {Field::kParent, kEquality}},
    {"local.tag", {Field::kLocalTag, kEquality | kEmptiness}},
    {"local.link", {Field::kLocalLink, kEquality | kEmptiness}},
    {"local.note", {Field::kLocalNote, kTextOps | kEmptiness}},
    {"local.change", {Field::kLocalChange, kEquality | kEmptiness}},
    {"local.changed", {Field::kLocalChanged, kEquality | kEmptiness | kOrdering}},
};

// Jira fields the cache does not keep.
constexpr std::string_view kLiveOnlyFields[] = {
    "sprint",
    "watcher",
    "watchers",
    "voter",
    "votes",
    "epic link",
    "epic name",
    "rank",
    "team",
    "attachments",
    "issuelinktype",
    "issuelink",
    "lastviewed",
    "worklogauthor",
    "worklogcomment",
    "worklogdate",
    "timespent",
    "originalestimate",
    "remainingestimate",
    "workratio",
    "timeoriginalestimate",
    "timeestimate",
    "level",
    "filter",
    "savedfilter",
    "request",
    "category",
    "subtasks",
    "parent link",
    "approvals",
    "organizations",
    "feedback",
    "lastcommentedby",
    "development",
    "property",
    "labelsuggestion",
};

// Jira functions the cache cannot evaluate (they need Jira's users, boards,
// history or permissions).
constexpr std::string_view kLiveOnlyFunctions[] = {
    "membersof",
    "opensprints",
    "closedsprints",
    "futuresprints",
    "linkedissues",
    "issuehistory",
    "watchedissues",
    "votedissues",
    "updatedby",
    "lastlogin",
    "currentlogin",
    "issueswithremotelinksbyglobalid",
    "cascadeoption",
    "componentsleadbyuser",
    "projectsleadbyuser",
    "projectswhereuserhaspermission",
    "projectswhereuserhasrole",
    "releasedversions",
    "latestreleasedversion",
    "unreleasedversions",
    "earliestunreleasedversion",
    "approved",
    "approver",
    "breached",
    "completed",
    "everbreached",
    "paused",
    "remaining",
    "running",
    "withincalendarhours",
    "myapproval",
    "mypending",
    "pending",
    "pendingby",
    "attachments",
    "linkedissuesof",
    "parentsof",
    "subtasksof",
    "epicsof",
    "issuesof",
    "portfolioparentof",
    "portfoliochildissuesof",
    "commented",
    "currentorganisation",
    "organizationmembers",
    "choiceoption",
    "hasworklogs",
};

bool is_ordering(JqlOperator op) {
  return (bit(op) & kOrdering) != 0;
}
bool is_list_op(JqlOperator op) {
  return op == JqlOperator::kIn || op == JqlOperator::kNotIn;
}
bool is_negative(JqlOperator op) {
  return op == JqlOperator::kNotEquals || op == JqlOperator::kNotIn;
}

[[noreturn]] void invalid(const std::string& message) {
  throw JqlError(JqlError::Kind::kInvalid, message);
}
[[noreturn]] void live_only(const std::string& message) {
  throw JqlError(JqlError::Kind::kUnsupported,
                 message + " The cache cannot answer this; run the query with --source live.");
}

std::string show_operand(const JqlOperand& o) {
  switch (o.kind) {
    case JqlOperand::Kind::kEmpty:
      return "EMPTY";
    case JqlOperand::Kind::kValue:
      return o.value;
    case JqlOperand::Kind::kFunction: {
      std::string s = o.value + "(";
      for (size_t i = 0; i < o.arguments.size(); ++i) s += (i ? ", " : "") + o.arguments[i];
      return s + ")";
    }
    case JqlOperand::Kind::kList: {
      std::string s = "(";
      for (size_t i = 0; i < o.items.size(); ++i) s += (i ? ", " : "") + show_operand(o.items[i]);
      return s + ")";
    }
  }
  return "";
}

const char* sql_operator(JqlOperator op) {
  switch (op) {
    case JqlOperator::kGreater:
      return ">";
    case JqlOperator::kGreaterOrEqual:
      return ">=";
    case JqlOperator::kLess:
      return "<";
    case JqlOperator::kLessOrEqual:
      return "<=";
    default:
      return "=";
  }
}

class Compiler {
 public:
  Compiler(Backend backend, const JqlContext& context)
      : pg_(backend == Backend::kPostgres), ctx_(context) {}

  CompiledJql run(const JqlQuery& q) {
    CompiledJql out;
    key_order_ = q.order_by.empty() || is_key_field(q.order_by.front().field);
    const std::string where = q.where ? clause(*q.where) : "1=1";
    for (size_t i = 0; i < where.size(); ++i) {
      if (where[i] != '\x01') {
        out.where += where[i];
        continue;
      }
      const size_t end = where.find('\x02', i);
      out.params.push_back(params_.at(std::stoul(where.substr(i + 1, end - i - 1))));
      out.where += '?';
      i = end;
    }
    out.include_deleted = include_deleted_;
    out.include_out_of_scope = include_out_of_scope_;
    one_project_ = q.where && fixes_one_project(*q.where);
    out.order = order(q.order_by);
    // Only an order some index yields can be walked instead of the range.
    const std::string lead = q.order_by.empty() ? "key" : lower(q.order_by.front().field);
    const bool indexed_order = lead == "key" || lead == "issuekey" || lead == "created" ||
                               lead == "createddate" || lead == "updated" ||
                               lead == "updateddate" || lead == "priority" || lead == "resolved" ||
                               lead == "resolutiondate";
    for (const auto& [column, r] : ranges_) {
      if (indexed_order && out.order.front().sql != column) out.ranges.push_back(r);
    }
    return out;
  }

 private:
  // ---- SQL pieces that differ between the backends (no input in any of them)

  // ASCII-only lower case on both (SQLite's lower() is ASCII-only; PostgreSQL's
  // follows the locale), so both compare exactly as the simulator and Jira's
  // case-insensitive names do for ASCII and byte-exact beyond.
  std::string lower_sql(const std::string& expr) const {
    if (!pg_) return "lower(" + expr + ")";
    return "translate(" + expr + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
  }
  std::string text_sort(const std::string& expr) const {
    return pg_ ? lower_sql(expr) + " COLLATE \"C\"" : lower_sql(expr);
  }
  std::string id_number() const {
    if (!pg_) return "CAST(t.id AS INTEGER)";
    return "(CASE WHEN t.id ~ '^[0-9]{1,18}$' THEN CAST(t.id AS BIGINT) ELSE 0 END)";
  }
  std::string key_number() const {
    if (!pg_) return "CAST(substr(t.key, instr(t.key, '-') + 1) AS INTEGER)";
    return "(CASE WHEN split_part(t.key, '-', 2) ~ '^[0-9]{1,18}$' THEN "
           "CAST(split_part(t.key, '-', 2) AS BIGINT) ELSE 0 END)";
  }
  std::string json_elements(const std::string& column) const {
    if (!pg_) return "json_each(" + column + ") j";
    return "json_array_elements_text(CAST(" + column + " AS json)) AS j(value)";
  }
  std::string priority_rank() const {
    const std::string p = lower_sql("t.priority");
    return "(CASE " + p + " WHEN 'highest' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 " +
           "WHEN 'low' THEN 2 WHEN 'lowest' THEN 1 ELSE 0 END)";
  }

  // ---- binding

  // A marker for parameter N; run() turns markers into `?` in text order, so
  // the order in which pieces of SQL are built (C++ leaves the evaluation
  // order of `a + f() + g()` open) never matters.
  std::string bind(JqlParam v) {
    params_.push_back(std::move(v));
    return "\x01" + std::to_string(params_.size() - 1) + "\x02";
  }
  std::string bind_list(const std::vector<std::string>& values) {
    std::string s;
    for (const auto& v : values) s += (s.empty() ? "" : ", ") + bind(v);
    return s;
  }

  // ---- the tree

  std::string clause(const JqlClause& c) {
    switch (c.kind) {
      case JqlClause::Kind::kTerminal:
        return terminal(c);
      case JqlClause::Kind::kNot: {
        ++nested_;
        std::string s = "NOT (" + clause(c.children.front()) + ")";
        --nested_;
        return s;
      }
      case JqlClause::Kind::kOr: {
        ++nested_;
        std::string s;
        for (const auto& child : c.children) s += (s.empty() ? "(" : " OR ") + clause(child);
        --nested_;
        return s + ")";
      }
      case JqlClause::Kind::kAnd:
        return conjunction(c);
    }
    return "1=1";
  }

  static bool is_change_field(const JqlClause& c) {
    if (c.kind != JqlClause::Kind::kTerminal) return false;
    const std::string f = lower(c.field);
    return f == "local.change" || f == "local.changed";
  }

  // local.change and local.changed side by side in one AND describe the same
  // change ("a significant change this week"), so they share one subquery.
  std::string conjunction(const JqlClause& c) {
    std::vector<const JqlClause*> changes;
    std::string s;
    for (const auto& child : c.children) {
      if (is_change_field(child) && positive_change_clause(child)) {
        changes.push_back(&child);
        continue;
      }
      s += (s.empty() ? "(" : " AND ") + clause(child);
    }
    if (changes.size() == 1) {
      s += (s.empty() ? "(" : " AND ") + clause(*changes.front());
    } else if (changes.size() > 1) {
      s += (s.empty() ? "(" : " AND ") +
           std::string("t.id IN (SELECT c.ticket_id FROM ticket_changes c WHERE 1=1");
      for (const JqlClause* change : changes) s += " AND " + change_condition(*change);
      s += ")";
    }
    return s + ")";
  }

  // A clause that holds when some change row matches (not a negation or emptiness).
  static bool positive_change_clause(const JqlClause& c) {
    return c.op != JqlOperator::kNotEquals && c.op != JqlOperator::kNotIn &&
           c.op != JqlOperator::kIs && c.op != JqlOperator::kIsNot;
  }

  // ---- one terminal clause

  struct Items {
    std::vector<std::string> values;           // plain values
    std::vector<const JqlOperand*> functions;  // function operands
    bool has_empty = false;
  };

  std::string terminal(const JqlClause& c) {
    const std::string name = lower(c.field);
    std::optional<FieldInfo> info;
    std::string custom_id;
    for (const auto& [alias, i] : kFields) {
      if (name == alias) info = i;
    }
    if (!info && name.size() > 4 && name.rfind("cf[", 0) == 0) {
      info = FieldInfo{Field::kCustom, kEquality | kEmptiness | kOrdering | kTextOps};
      custom_id = "customfield_" + name.substr(3, name.size() - 4);
    }
    if (!info) {
      if (auto it = ctx_.custom_field_ids.find(name); it != ctx_.custom_field_ids.end()) {
        info = FieldInfo{Field::kCustom, kEquality | kEmptiness | kOrdering | kTextOps};
        custom_id = it->second;
      }
    }
    if (!info) {
      if (auto it = ctx_.ambiguous_custom_fields.find(name);
          it != ctx_.ambiguous_custom_fields.end()) {
        std::string ids;
        for (const std::string& id : it->second) {
          ids += (ids.empty() ? "" : ", ") + std::string("cf[") +
                 id.substr(id.rfind('_') == std::string::npos ? 0 : id.rfind('_') + 1) + "]";
        }
        invalid("Field '" + c.field + "' is ambiguous: more than one custom field has that name (" +
                ids + "). Name the one you mean by its id, e.g. " + ids.substr(0, ids.find(',')) +
                ".");
      }
      for (std::string_view live : kLiveOnlyFields) {
        if (name == live) live_only("The field '" + c.field + "' is not kept in the cache.");
      }
      invalid("Field '" + c.field + "' does not exist or you do not have permission to view it.");
    }
    const std::string op = to_string(c.op);
    const bool list_op = is_list_op(c.op);
    // A function may stand for a list (`issuetype in subTaskIssueTypes()`).
    if (list_op && c.operand.kind != JqlOperand::Kind::kList &&
        c.operand.kind != JqlOperand::Kind::kFunction) {
      invalid("Operator '" + op + "' does not support the non-list value '\"" +
              show_operand(c.operand) + "\"' for field '" + c.field + "'.");
    }
    if (!list_op && c.operand.kind == JqlOperand::Kind::kList) {
      invalid("Operator '" + op + "' does not support the list value '" + show_operand(c.operand) +
              "' for field '" + c.field + "'.");
    }
    if ((info->operators & bit(c.op)) == 0) {
      invalid("The operator '" + op + "' is not supported by the '" + c.field + "' field.");
    }
    if ((is_ordering(c.op) || c.op == JqlOperator::kContains ||
         c.op == JqlOperator::kNotContains) &&
        c.operand.kind == JqlOperand::Kind::kEmpty) {
      invalid("The operator '" + op + "' does not support the EMPTY keyword for field '" + c.field +
              "'.");
    }
    Items items;
    const auto take = [&](const JqlOperand& o) {
      if (o.kind == JqlOperand::Kind::kEmpty) items.has_empty = true;
      if (o.kind == JqlOperand::Kind::kValue) items.values.push_back(o.value);
      if (o.kind == JqlOperand::Kind::kFunction) {
        check_function_exists(o);
        items.functions.push_back(&o);
      }
    };
    if (c.operand.kind == JqlOperand::Kind::kList) {
      for (const auto& o : c.operand.items) take(o);
    } else {
      take(c.operand);
    }

    switch (info->id) {
      case Field::kProject:
        return project(c, items);
      case Field::kKey:
      case Field::kId:
        return issue_key(c, items);
      case Field::kSummary:
        return text(c, items, "summary", "t.summary");
      case Field::kDescription:
        return text(c, items, "description", "t.description_text");
      case Field::kText:
        return text(c, items, "summary description", "");
      case Field::kEnvironment:
        return like_text(c, items, "t.environment_text");
      case Field::kComment:
        return comment(c, items);
      case Field::kStatus:
        no_functions(c, items);
        return names(c, items, "t.status", false);
      case Field::kIssueType:
        return issue_type(c, items);
      case Field::kPriority:
        return priority(c, items);
      case Field::kResolution:
        return resolution(c, items);
      case Field::kStatusCategory:
        return status_category(c, items);
      case Field::kAssignee:
        return user(c, items, "t.assignee_id", "t.assignee_name", &ctx_.absent_assignee_names);
      case Field::kReporter:
        return user(c, items, "t.reporter_id", "t.reporter_name");
      case Field::kCreator:
        return user(c, items, "t.creator_id", "t.creator_name");
      case Field::kLabels:
        return labels(c, items);
      case Field::kComponent:
        return name_array(c, items, "t.components");
      case Field::kFixVersion:
        return name_array(c, items, "t.fix_versions");
      case Field::kAffectedVersion:
        return name_array(c, items, "t.affected_versions");
      case Field::kCreated:
        return instants(c, items, "t.created_ms", false);
      case Field::kUpdated:
        return instants(c, items, "t.updated_ms", false);
      case Field::kResolved:
        return instants(c, items, "t.resolution_ms", true);
      case Field::kDueDate:
        return due_date(c, items);
      case Field::kParent:
        return parent(c, items);
      case Field::kCustom:
        return custom(c, items, custom_id);
      case Field::kLocalTag:
        return local_tag(c, items);
      case Field::kLocalLink:
        return local_link(c, items);
      case Field::kLocalNote:
        return local_note(c, items);
      case Field::kLocalChange:
      case Field::kLocalChanged:
        return local_change(c);
    }
    invalid("Field '" + c.field + "' is not supported.");
  }

  static void check_function_exists(const JqlOperand& o) {
    const std::string n = lower(o.value);
    for (std::string_view live : kLiveOnlyFunctions) {
      if (n == live) live_only("The function '" + o.value + "' needs Jira.");
    }
    static const std::string_view kKnown[] = {
        "currentuser", "now",       "startofday",         "endofday",
        "startofweek", "endofweek", "startofmonth",       "endofmonth",
        "startofyear", "endofyear", "standardissuetypes", "subtaskissuetypes"};
    for (std::string_view k : kKnown) {
      if (n == k) return;
    }
    invalid("Unable to find JQL function '" + show_operand(o) + "'.");
  }

  [[noreturn]] static void function_not_for(const JqlClause& c, const JqlOperand& o) {
    invalid("A value provided by the function '" + o.value + "' is invalid for the field '" +
            c.field + "'.");
  }
  static void no_functions(const JqlClause& c, const Items& items) {
    if (!items.functions.empty()) function_not_for(c, *items.functions.front());
  }
  static void no_empty(const JqlClause& c, const Items& items) {
    if (items.has_empty) {
      invalid("The field '" + c.field + "' does not support searching for EMPTY values.");
    }
  }

  // Jira's rule for every equality-style operator: = and IN match a value in
  // the list (or an empty field when EMPTY is listed); != and NOT IN never match
  // an empty field; IS [NOT] EMPTY test emptiness. `found` must be false, not
  // NULL, for an empty field, so that NOT (...) stays the plain complement.
  static std::string equality(JqlOperator op, const std::string& empty, const std::string& found,
                              bool has_empty) {
    switch (op) {
      case JqlOperator::kIs:
        return empty;
      case JqlOperator::kIsNot:
        return "NOT " + empty;
      case JqlOperator::kNotEquals:
      case JqlOperator::kNotIn:
        return "(NOT " + empty + " AND NOT " + found + ")";
      default:
        return has_empty ? "(" + found + " OR " + empty + ")" : found;
    }
  }

  // Callers bind the values of `found` before anything after it.
  std::string names_found(const std::string& column, const std::vector<std::string>& lowered) {
    if (lowered.empty()) return "(1=0)";
    return "(" + column + " IS NOT NULL AND " + lower_sql(column) + " IN (" + bind_list(lowered) +
           "))";
  }

  std::string names(const JqlClause& c, const Items& items, const std::string& column,
                    bool nullable_note) {
    (void)nullable_note;
    std::vector<std::string> lowered;
    for (const auto& v : items.values) lowered.push_back(lower(v));
    const std::string empty = "(" + column + " IS NULL OR " + column + " = '')";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    return equality(c.op, empty, names_found(column, lowered), items.has_empty);
  }

  std::string project(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, "(t.project = '')", "", false);
    }
    std::vector<std::string> keys, lowered, ids;
    for (const auto& v : items.values) {
      keys.push_back(upper(v));
      lowered.push_back(lower(v));
      if (all_digits(v)) ids.push_back(v);
    }
    if (keys.empty()) return equality(c.op, "(t.project = '')", "(1=0)", items.has_empty);
    std::string found;
    if (!ids.empty()) {
      found =
          "(t.project IN (" + bind_list(keys) + ") OR t.project_id IN (" + bind_list(ids) + "))";
    } else {
      // SQLite, key order: the lower-case term is implied by the keys
      // (stored upper-case) and lets the key-order index (migration 10) seek
      // to the project and yield its rows sorted, so a first page reads its
      // rows, not every match; `+` keeps SQLite from taking the plain
      // column's index and sorting. Another order wants the plain column:
      // (project, updated_ms) and (project, created_ms) yield those orders.
      // PostgreSQL's key-order index leads on the plain column.
      found = pg_ || !key_order_ ? "(t.project IN (" + bind_list(keys) + "))"
                                 : "(+t.project IN (" + bind_list(keys) +
                                       ") AND lower(t.project) IN (" + bind_list(lowered) + "))";
    }
    return equality(c.op, "(t.project = '')", found, items.has_empty);
  }

  struct IssueRef {
    bool is_id = false;
    std::string id;       // digits
    std::string key;      // PROJECT-N, project upper-cased
    std::string project;  // PROJECT
    int64_t number = 0;
  };

  static IssueRef issue_ref(const JqlClause& c, const std::string& v) {
    IssueRef r;
    if (all_digits(v)) {
      r.is_id = true;
      r.id = v;
      r.number = std::stoll(v);
      return r;
    }
    const size_t dash = v.rfind('-');
    const bool ok = dash != std::string::npos && dash > 0 && all_digits(v.substr(dash + 1)) &&
                    v.size() - dash - 1 <= 15 &&
                    ((v[0] >= 'a' && v[0] <= 'z') || (v[0] >= 'A' && v[0] <= 'Z'));
    if (!ok) invalid("The issue key '" + v + "' for field '" + c.field + "' is invalid.");
    r.project = upper(v.substr(0, dash));
    r.number = std::stoll(v.substr(dash + 1));
    r.key = r.project + "-" + std::to_string(r.number);
    return r;
  }

  std::string issue_key(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    no_empty(c, items);
    std::vector<IssueRef> refs;
    for (const auto& v : items.values) refs.push_back(issue_ref(c, v));
    if (is_ordering(c.op)) {
      const IssueRef& r = refs.front();
      const std::string op = sql_operator(c.op);
      if (r.is_id) return "(" + id_number() + " " + op + " " + bind(r.number) + ")";
      // Within the key's project, by number (A-10 > A-9).
      return "(t.project = " + bind(r.project) + " AND " + key_number() + " " + op + " " +
             bind(r.number) + ")";
    }
    std::vector<std::string> ids, keys;
    for (const auto& r : refs) (r.is_id ? ids : keys).push_back(r.is_id ? r.id : r.key);
    // One IN over a subquery, so both databases look the ids up by primary key
    // (an OR of t.key and a ticket_keys subquery made PostgreSQL scan the table).
    std::string arms;
    if (!ids.empty()) arms += "p.id IN (" + bind_list(ids) + ")";
    if (!keys.empty())
      arms += (arms.empty() ? "" : " OR ") + ("p.key IN (" + bind_list(keys) + ")");
    std::string found = "t.id IN (SELECT p.id FROM tickets p WHERE " + arms + ")";
    if (!keys.empty()) {
      // Old keys of moved issues match too (ticket_keys keeps every key an issue had).
      found = "t.id IN (SELECT p.id FROM tickets p WHERE " + arms +
              " UNION SELECT k.ticket_id FROM ticket_keys k WHERE k.key IN (" + bind_list(keys) +
              "))";
    }
    return equality(c.op, "(1=0)", "(" + found + ")", false);
  }

  std::string text(const JqlClause& c, const Items& items, const char* fts_columns,
                   const std::string& column) {
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, "(" + column + " = '')", "", false);
    }
    no_functions(c, items);
    const auto terms = text_terms(items.values.front());
    if (terms.empty()) {
      invalid("The field '" + c.field + "' does not support searching for an empty string.");
    }
    std::string found;
    if (pg_) {
      // One GIN index (migrations 7 and 11) over summary and description,
      // this expression word for word: a search of one field narrows by it
      // and checks that field on the rows it finds (whatever one field
      // holds, the joined text holds too). ASCII punctuation becomes space
      // first: PostgreSQL's parser keeps paths, URLs and host names whole
      // ("/rest/api/3/search"), where Jira's tokenizer, FTS5 and jirasim
      // find the words inside.
      const auto matches = [&](const std::string& text) {
        return "to_tsvector('jirasync_english', regexp_replace(" + text +
               ", '[!-/:-@[-`{-~]+', ' ', 'g')) @@ to_tsquery('jirasync_english', " +
               bind(ts_query(terms)) + ")";
      };
      found = "(" + matches("left(t.summary || ' ' || t.description_text, 250000)");
      if (!column.empty()) {
        found += " AND " + matches(column == "t.summary" ? column : "left(" + column + ", 250000)");
      }
      found += ")";
    } else {
      found = "(t.id IN (SELECT CAST(f.rowid AS TEXT) FROM ticket_fts f WHERE ticket_fts MATCH " +
              bind(fts5_match(terms, fts_columns)) + "))";
    }
    return c.op == JqlOperator::kNotContains ? "(NOT " + found + ")" : found;
  }

  static std::string like_pattern(const std::string& word) {
    std::string p = "%";
    for (char ch : word) {
      if (ch == '%' || ch == '_' || ch == '!') p += '!';
      p += ch;
    }
    return p + "%";
  }

  // Fields without a full-text index: every word must occur (as a substring).
  std::string like_words(const JqlClause& c, const Items& items, const std::string& column) {
    no_functions(c, items);
    const auto terms = text_terms(items.values.front());
    if (terms.empty()) {
      invalid("The field '" + c.field + "' does not support searching for an empty string.");
    }
    std::string s;
    for (const auto& term : terms) {
      std::string words;
      for (const auto& w : term.words) words += (words.empty() ? "" : " ") + w;
      s += (s.empty() ? "(" : " AND ") + lower_sql(column) + " LIKE " + bind(like_pattern(words)) +
           " ESCAPE '!'";
    }
    return s + ")";
  }

  std::string like_text(const JqlClause& c, const Items& items, const std::string& column) {
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, "(" + column + " IS NULL OR " + column + " = '')", "", false);
    }
    const std::string found =
        "(" + column + " IS NOT NULL AND " + like_words(c, items, column) + ")";
    return c.op == JqlOperator::kNotContains ? "(NOT " + found + ")" : found;
  }

  std::string comment(const JqlClause& c, const Items& items) {
    const std::string found = "t.id IN (SELECT cm.ticket_id FROM ticket_comments cm WHERE " +
                              like_words(c, items, "cm.body_text") + ")";
    return c.op == JqlOperator::kNotContains ? "(NOT " + found + ")" : found;
  }

  std::string issue_type(const JqlClause& c, const Items& items) {
    bool subtask = false, standard = false;
    for (const JqlOperand* f : items.functions) {
      const std::string n = lower(f->value);
      if (n == "subtaskissuetypes") {
        subtask = true;
      } else if (n == "standardissuetypes") {
        standard = true;
      } else {
        function_not_for(c, *f);
      }
    }
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, "(t.issue_type = '')", "", false);
    }
    std::vector<std::string> lowered;
    for (const auto& v : items.values) lowered.push_back(lower(v));
    std::string found = "(" + names_found("t.issue_type", lowered);
    if (subtask) found += " OR t.subtask = 1";
    if (standard) found += " OR t.subtask = 0";
    found += ")";
    return equality(c.op, "(t.issue_type = '')", found, items.has_empty);
  }

  static int rank_of(const std::string& v) {
    const std::string l = lower(v);
    if (l == "highest") return 5;
    if (l == "high") return 4;
    if (l == "medium") return 3;
    if (l == "low") return 2;
    if (l == "lowest") return 1;
    return 0;
  }

  // The priority order column: Lowest (1) .. Highest (5), none (6) after
  // them all; migration 12 indexes it.
  std::string priority_sort() const {
    return "(CASE WHEN t.priority IS NULL OR t.priority = '' THEN 6 ELSE " + priority_rank() +
           " END)";
  }

  // Each test also reads as a range or list of the order column, so a
  // priority index seeks to the matching ranks instead of walking past every
  // issue without a priority first.
  std::string priority(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    if (!is_ordering(c.op)) {
      std::string s = names(c, items, "t.priority", true);
      const bool positive = c.op == JqlOperator::kEquals || c.op == JqlOperator::kIn;
      std::string ranks;
      for (const auto& v : items.values) {
        const int r = rank_of(v);
        if (r == 0) return s;  // another scheme's name: no rank says it
        ranks += (ranks.empty() ? "" : ", ") + bind(int64_t{r});
      }
      if (!positive || items.has_empty || ranks.empty()) return s;
      return "(" + s + " AND " + priority_sort() + " IN (" + ranks + "))";
    }
    const int rank = rank_of(items.values.front());
    if (rank == 0) {
      invalid("The value '" + items.values.front() + "' does not exist for the field '" + c.field +
              "'.");
    }
    // Ranks 1..5 only: no priority (6) and unknown names (0) never match.
    int64_t low = 1, high = 5;
    switch (c.op) {
      case JqlOperator::kGreater:
        low = rank + 1;
        break;
      case JqlOperator::kGreaterOrEqual:
        low = rank;
        break;
      case JqlOperator::kLess:
        high = rank - 1;
        break;
      default:
        high = rank;
        break;
    }
    if (low > high) return "(1=0)";
    const std::string order = priority_sort();
    return "(" + order + " >= " + bind(low) + " AND " + order + " <= " + bind(high) + ")";
  }

  std::string resolution(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    Items kept;
    kept.has_empty = items.has_empty;
    for (const auto& v : items.values) {
      // "Unresolved" is Jira's name for no resolution.
      if (lower(v) == "unresolved") {
        kept.has_empty = true;
      } else {
        kept.values.push_back(v);
      }
    }
    JqlClause as = c;
    if (is_negative(c.op) && kept.has_empty && kept.values.empty()) as.op = JqlOperator::kIsNot;
    return names(as, kept, "t.resolution", true);
  }

  std::string status_category(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    std::vector<std::string> keys;
    for (const auto& v : items.values) {
      const std::string l = lower(v);
      if (l == "to do" || l == "new" || l == "2") {
        keys.push_back("new");
      } else if (l == "in progress" || l == "indeterminate" || l == "4") {
        keys.push_back("indeterminate");
      } else if (l == "done" || l == "complete" || l == "3") {
        keys.push_back("done");
      } else {
        invalid("The value '" + v + "' does not exist for the field '" + c.field + "'.");
      }
    }
    return equality(c.op, "(t.status_category = '')", names_found("t.status_category", keys),
                    items.has_empty);
  }

  std::string user(const JqlClause& c, const Items& items, const std::string& id_column,
                   const std::string& name_column,
                   const std::set<std::string>* absent_names = nullptr) {
    std::vector<std::string> ids;
    for (const JqlOperand* f : items.functions) {
      if (lower(f->value) != "currentuser") function_not_for(c, *f);
      if (!f->arguments.empty()) {
        invalid("Function '" + f->value + "' expected '0' arguments but got '" +
                std::to_string(f->arguments.size()) + "'.");
      }
      // An anonymous caller's currentUser() matches nobody, as in Jira.
      if (!ctx_.account_id.empty()) ids.push_back(ctx_.account_id);
    }
    const std::string empty = "(" + id_column + " IS NULL OR " + id_column + " = '')";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    // A user is named by account id (what Jira Cloud's JQL takes) or, in the
    // cache, by display name.
    std::vector<std::string> lowered;
    for (const auto& v : items.values) {
      ids.push_back(v);
      if (!absent_names || !absent_names->count(lower(v))) lowered.push_back(lower(v));
    }
    std::string found = "(1=0)";
    if (!ids.empty()) {
      found = "(" + id_column + " IS NOT NULL AND (" + id_column + " IN (" + bind_list(ids) + ")";
      if (!lowered.empty()) {
        found += " OR (" + name_column + " IS NOT NULL AND " + lower_sql(name_column) + " IN (" +
                 bind_list(lowered) + "))";
      }
      found += "))";
    }
    return equality(c.op, empty, found, items.has_empty);
  }

  std::string name_array(const JqlClause& c, const Items& items, const std::string& column) {
    return name_list(c, items, column, [&](const std::string& values) {
      return "(" + column + " IS NOT NULL AND EXISTS (SELECT 1 FROM " + json_elements(column) +
             " WHERE " + lower_sql("j.value") + " IN (" + values + ")))";
    });
  }

  // Labels are rows of ticket_labels (migration 12), kept lower-case by the
  // writer: `t.id IN (...)` lets both databases start from the label index,
  // or probe it per row while reading an order index. Emptiness stays a test
  // of the JSON column (the same rows, no subquery).
  std::string labels(const JqlClause& c, const Items& items) {
    return name_list(c, items, "t.labels", [](const std::string& values) {
      return "(t.id IN (SELECT l.ticket_id FROM ticket_labels l WHERE l.label IN (" + values +
             ")))";
    });
  }

  // A list of names held as a JSON array in `column`, compared without case;
  // `found` turns the bound, lower-cased values into the membership test.
  template <typename Found>
  std::string name_list(const JqlClause& c, const Items& items, const std::string& column,
                        const Found& found_for) {
    no_functions(c, items);
    const std::string empty = "(" + column + " IS NULL OR " + column + " = '[]')";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    std::vector<std::string> lowered;
    for (const auto& v : items.values) lowered.push_back(lower(v));
    const std::string found = lowered.empty() ? "(1=0)" : found_for(bind_list(lowered));
    return equality(c.op, empty, found, items.has_empty);
  }

  std::vector<JqlInstantRange> ranges(const JqlClause& c, const Items& items) {
    std::vector<JqlInstantRange> out;
    for (const auto& v : items.values) {
      out.push_back(resolve_date_value(v, c.field, ctx_.time_zone, ctx_.now_ms));
    }
    for (const JqlOperand* f : items.functions) {
      JqlInstantRange r;
      if (!resolve_date_function(f->value, f->arguments, ctx_.time_zone, ctx_.now_ms, r)) {
        function_not_for(c, *f);
      }
      out.push_back(r);
    }
    return out;
  }

  // Epoch-millisecond columns. `>`/`<` compare with the first instant of the
  // operand (so `created <= "2025-01-31"` stops at that midnight, as in Jira);
  // `=`/`IN` match the whole day or minute a bare date or date-time stands for.
  std::string instants(const JqlClause& c, const Items& items, const std::string& column,
                       bool nullable) {
    const std::string empty = nullable ? "(" + column + " IS NULL)" : "(1=0)";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    const auto rs = ranges(c, items);
    if (nullable) return instants_of(c, items, rs, column, empty, true);
    note_range(c, items, rs, column);
    // `+column`: no index serves the term, SQLite walks the order's instead.
    const bool unindexed = !pg_ && ctx_.unindexed_ranges.count(column) > 0;
    return instants_of(c, items, rs, unindexed ? "+" + column : column, empty, false);
  }

  // A term of the top-level AND narrows the whole query to one range of
  // `column` (JqlColumnRange): `>`, `>=`, `<`, `<=`, or `=` one day.
  void note_range(const JqlClause& c, const Items& items, const std::vector<JqlInstantRange>& rs,
                  const std::string& column) {
    if (nested_ > 0 || rs.empty() || items.has_empty) return;
    int64_t first = INT64_MIN, last = INT64_MAX;
    const int64_t at = rs.front().first_ms;
    switch (c.op) {
      case JqlOperator::kGreater:
        first = at == INT64_MAX ? at : at + 1;
        break;
      case JqlOperator::kGreaterOrEqual:
        first = at;
        break;
      case JqlOperator::kLess:
        last = at == INT64_MIN ? at : at - 1;
        break;
      case JqlOperator::kLessOrEqual:
        last = at;
        break;
      case JqlOperator::kEquals:
      case JqlOperator::kIn:
        if (rs.size() != 1) return;
        first = rs.front().first_ms;
        last = rs.front().last_ms;
        break;
      default:
        return;
    }
    auto [it, added] = ranges_.try_emplace(column, JqlColumnRange{column, first, last});
    if (!added) {
      it->second.first_ms = std::max(it->second.first_ms, first);
      it->second.last_ms = std::min(it->second.last_ms, last);
    }
  }

  std::string instants_of(const JqlClause& c, const Items& items,
                          const std::vector<JqlInstantRange>& rs, const std::string& column,
                          const std::string& empty, bool nullable) {
    if (nullable) {
      // The resolved order column (empty = the largest value, as it sorts),
      // which migration 12 indexes: `resolved >= -7d ORDER BY resolved DESC`
      // reads one range of it in order. Below the largest value, it is the
      // column and not empty.
      const std::string value = "COALESCE(" + column + ", 9223372036854775807)";
      const std::string set = value + " < 9223372036854775807";
      if (is_ordering(c.op)) {
        return "(" + value + " " + sql_operator(c.op) + " " + bind(rs.front().first_ms) + " AND " +
               set + ")";
      }
      std::string found;
      for (const auto& r : rs) {
        found += (found.empty() ? "" : " OR ") + std::string("(") + value +
                 " >= " + bind(r.first_ms) + " AND " + value + " <= " + bind(r.last_ms) + ")";
      }
      found = found.empty() ? "(1=0)" : "(" + set + " AND (" + found + "))";
      return equality(c.op, empty, found, items.has_empty);
    }
    if (is_ordering(c.op)) {
      // Never NULL for an empty field, so that NOT (resolved > x) holds for
      // unresolved issues (NOT is the plain complement).
      return "(" + column + " IS NOT NULL AND " + column + " " + sql_operator(c.op) + " " +
             bind(rs.front().first_ms) + ")";
    }
    std::string found;
    for (const auto& r : rs) {
      found += (found.empty() ? "" : " OR ") + std::string("(") + column +
               " >= " + bind(r.first_ms) + " AND " + column + " <= " + bind(r.last_ms) + ")";
    }
    found = found.empty() ? "(1=0)" : "(" + column + " IS NOT NULL AND (" + found + "))";
    return equality(c.op, empty, found, items.has_empty);
  }

  // duedate is a calendar day (yyyy-MM-dd text): a day counts as the instant it
  // starts in the account's zone, compared like the instant fields.
  std::string due_date(const JqlClause& c, const Items& items) {
    const std::string column = "t.due_date";
    const std::string empty = "(" + column + " IS NULL OR " + column + " = '')";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    const auto rs = ranges(c, items);
    // The first day starting at or after `ms` / after `ms`.
    const auto day_from = [&](int64_t ms, bool strictly_after) {
      std::string d = local_date_of(ms, ctx_.time_zone);
      const int64_t start = start_of_local_date(d, ctx_.time_zone);
      if (start < ms || (strictly_after && start == ms)) {
        d = local_date_of(start + 36 * 3600 * 1000LL, ctx_.time_zone);  // the next day
      }
      return d;
    };
    const std::string not_empty = "(" + column + " IS NOT NULL AND " + column + " <> '' AND ";
    if (is_ordering(c.op)) {
      const int64_t t = rs.front().first_ms;
      switch (c.op) {
        case JqlOperator::kLess:
          return not_empty + column + " < " + bind(day_from(t, false)) + ")";
        case JqlOperator::kGreaterOrEqual:
          return not_empty + column + " >= " + bind(day_from(t, false)) + ")";
        case JqlOperator::kLessOrEqual:
          return not_empty + column + " < " + bind(day_from(t, true)) + ")";
        default:
          return not_empty + column + " >= " + bind(day_from(t, true)) + ")";
      }
    }
    std::string found;
    for (const auto& r : rs) {
      found += (found.empty() ? "" : " OR ") + std::string("(") + column +
               " >= " + bind(day_from(r.first_ms, false)) + " AND " + column + " < " +
               bind(day_from(r.last_ms, true)) + ")";
    }
    found = found.empty() ? "(1=0)" : not_empty + "(" + found + "))";
    return equality(c.op, empty, found, items.has_empty);
  }

  std::string parent(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    no_empty(c, items);
    std::vector<std::string> ids, keys;
    for (const auto& v : items.values) {
      const IssueRef r = issue_ref(c, v);
      (r.is_id ? ids : keys).push_back(r.is_id ? r.id : r.key);
    }
    std::string found = "(t.parent_id IS NOT NULL AND (";
    std::string any;
    if (!ids.empty()) any += "t.parent_id IN (" + bind_list(ids) + ")";
    if (!keys.empty()) {
      if (!any.empty()) any += " OR ";
      any += "t.parent_id IN (SELECT p.id FROM tickets p WHERE p.key IN (" + bind_list(keys) +
             ")) OR t.parent_id IN (SELECT k.ticket_id FROM ticket_keys k WHERE k.key IN (" +
             bind_list(keys) + "))";
    }
    found += any + "))";
    return equality(c.op, "(t.parent_id IS NULL OR t.parent_id = '')", found, false);
  }

  // Custom field values are canonical JSON: a string, a number, an option
  // object ({"value": ...}), a user ({"accountId": ...}) or an array of these.
  // A value matches any string or number inside (option value, name, id).
  // Each scalar as text (v) and, for a number, as a number (n; else NULL).
  std::string custom_scalars(const std::string& path_param) {
    if (!pg_) {
      return "(SELECT j.atom AS v, CASE WHEN j.type IN ('integer', 'real') THEN j.atom END AS n "
             "FROM json_tree(t.custom_fields, " +
             path_param + ") j WHERE j.type IN ('text', 'integer', 'real'))";
    }
    return "(SELECT v #>> '{}' AS v, CASE WHEN jsonb_typeof(v) = 'number' THEN CAST(v #>> '{}' "
           "AS double precision) END AS n FROM jsonb_path_query(CAST(t.custom_fields AS jsonb) -> "
           "CAST(" +
           path_param +
           " AS text), 'lax $.** ? (@.type() == \"string\" || @.type() == \"number\")') AS p(v))";
  }

  std::string custom(const JqlClause& c, const Items& items, const std::string& id) {
    no_functions(c, items);
    const std::string key = pg_ ? id : "$.\"" + id + "\"";
    // Each piece binds its parameters when it is written, so the pieces are
    // built in the order they appear in the text.
    const auto empty = [&] {
      return pg_ ? "((CAST(t.custom_fields AS jsonb) -> CAST(" + bind(key) + " AS text)) IS NULL)"
                 : "(json_type(t.custom_fields, " + bind(key) + ") IS NULL)";
    };
    if (c.op == JqlOperator::kIs) return empty();
    if (c.op == JqlOperator::kIsNot) return "NOT " + empty();
    if (is_ordering(c.op)) {
      char* end = nullptr;
      const std::string& v = items.values.front();
      const double number = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size()) {
        invalid("The value '" + v + "' for field '" + c.field + "' is not a number.");
      }
      if (!pg_) {
        const std::string type = "COALESCE(json_type(t.custom_fields, " + bind(key) + "), '')";
        const std::string value = "json_extract(t.custom_fields, " + bind(key) + ")";
        return "(" + type + " IN ('integer', 'real') AND " + value + " " + sql_operator(c.op) +
               " CAST(" + bind(std::to_string(number)) + " AS REAL))";
      }
      const std::string type =
          "jsonb_typeof(CAST(t.custom_fields AS jsonb) -> CAST(" + bind(key) + " AS text))";
      const std::string value = "CAST(CAST(t.custom_fields AS jsonb) ->> CAST(" + bind(key) +
                                " AS text) AS double precision)";
      return "(CASE WHEN " + type + " = 'number' THEN " + value + " " + sql_operator(c.op) +
             " CAST(" + bind(std::to_string(number)) + " AS double precision) ELSE FALSE END)";
    }
    if (c.op == JqlOperator::kContains || c.op == JqlOperator::kNotContains) {
      const auto terms = text_terms(items.values.front());
      if (terms.empty()) {
        invalid("The field '" + c.field + "' does not support searching for an empty string.");
      }
      std::string s = "(EXISTS (SELECT 1 FROM " + custom_scalars(bind(key)) + " x WHERE 1=1";
      for (const auto& term : terms) {
        std::string words;
        for (const auto& w : term.words) words += (words.empty() ? "" : " ") + w;
        s += " AND " + lower_sql("CAST(x.v AS TEXT)") + " LIKE " + bind(like_pattern(words)) +
             " ESCAPE '!'";
      }
      s += "))";
      return c.op == JqlOperator::kNotContains ? "(NOT " + s + ")" : s;
    }
    std::vector<std::string> lowered, numbers;
    for (const auto& v : items.values) {
      lowered.push_back(lower(v));
      // As Jira does, a number matches by value too (`cf[10016] = 5` finds 5.0).
      char* end = nullptr;
      const double number = std::strtod(v.c_str(), &end);
      if (!v.empty() && end == v.c_str() + v.size() && std::isfinite(number) &&
          v.find_first_not_of("0123456789.eE+-") == std::string::npos) {
        numbers.push_back(v);
      }
    }
    const auto found = [&] {
      if (lowered.empty()) return std::string("(1=0)");
      std::string match = lower_sql("CAST(x.v AS TEXT)") + " IN (" + bind_list(lowered) + ")";
      if (!numbers.empty()) {
        const std::string real = pg_ ? "double precision" : "REAL";
        std::string list;
        for (const auto& n : numbers) {
          list += (list.empty() ? "" : ", ") + std::string("CAST(") + bind(n) + " AS " + real + ")";
        }
        match = "(" + match + " OR x.n IN (" + list + "))";
      }
      return "(EXISTS (SELECT 1 FROM " + custom_scalars(bind(key)) + " x WHERE " + match + "))";
    };
    if (is_negative(c.op)) {
      const std::string e = empty();
      return "(NOT " + e + " AND NOT " + found() + ")";
    }
    if (items.has_empty) {
      const std::string f = found();
      return "(" + f + " OR " + empty() + ")";
    }
    return found();
  }

  // The local fields match through `t.id IN (SELECT ticket_id ...)` rather
  // than a correlated EXISTS: the planner can start from the (usually few)
  // local rows instead of probing them once per ticket while it walks an
  // order index (a query matching nothing read every ticket).
  std::string local_tag(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    const std::string empty = "(NOT EXISTS (SELECT 1 FROM tags g WHERE g.ticket_id = t.id))";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    std::string found = "(1=0)";
    if (!items.values.empty()) {
      found = "t.id IN (SELECT g.ticket_id FROM tags g WHERE g.tag IN (" + bind_list(items.values) +
              "))";
    }
    return equality(c.op, empty, found, items.has_empty);
  }

  std::string local_link(const JqlClause& c, const Items& items) {
    no_functions(c, items);
    const std::string empty = "(NOT EXISTS (SELECT 1 FROM links l WHERE l.ticket_id = t.id))";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    // "testcase:TC-17" is one link; "testcase" any link of that type.
    std::string any;
    for (const auto& v : items.values) {
      const size_t colon = v.find(':');
      any += any.empty() ? "" : " OR ";
      if (colon == std::string::npos) {
        any += "l.entity_type = " + bind(v);
      } else {
        any += "(l.entity_type = " + bind(v.substr(0, colon)) +
               " AND l.entity_id = " + bind(v.substr(colon + 1)) + ")";
      }
    }
    const std::string found =
        any.empty() ? "(1=0)" : "t.id IN (SELECT l.ticket_id FROM links l WHERE (" + any + "))";
    return equality(c.op, empty, found, items.has_empty);
  }

  std::string local_note(const JqlClause& c, const Items& items) {
    const std::string empty = "(NOT EXISTS (SELECT 1 FROM notes n WHERE n.ticket_id = t.id))";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    const std::string found =
        "t.id IN (SELECT n.ticket_id FROM notes n WHERE " + like_words(c, items, "n.text") + ")";
    return c.op == JqlOperator::kNotContains ? "(NOT " + found + ")" : found;
  }

  // The change kinds as the writer records them.
  std::string change_kind(const JqlClause& c, const std::string& v) {
    const std::string l = lower(v);
    if (l == "new") return "inserted";
    for (const char* k :
         {"updated", "significant", "deleted", "moved", "conflict", "out_of_scope", "in_scope"}) {
      if (l == k) {
        if (l == "deleted" && !is_negative(c.op)) include_deleted_ = true;
        if (l == "out_of_scope" && !is_negative(c.op)) include_out_of_scope_ = true;
        return l;
      }
    }
    invalid("The value '" + v + "' does not exist for the field '" + c.field +
            "'. Valid: new, updated, significant, deleted, moved, conflict, out_of_scope, "
            "in_scope.");
  }

  // The condition on one change row `c` (no EXISTS around it).
  std::string change_condition(const JqlClause& c) {
    Items items;
    const auto take = [&](const JqlOperand& o) {
      if (o.kind == JqlOperand::Kind::kEmpty) items.has_empty = true;
      if (o.kind == JqlOperand::Kind::kValue) items.values.push_back(o.value);
      if (o.kind == JqlOperand::Kind::kFunction) {
        check_function_exists(o);
        items.functions.push_back(&o);
      }
    };
    if (c.operand.kind == JqlOperand::Kind::kList) {
      for (const auto& o : c.operand.items) take(o);
    } else {
      take(c.operand);
    }
    if (lower(c.field) == "local.change") {
      no_functions(c, items);
      std::vector<std::string> kinds;
      for (const auto& v : items.values) kinds.push_back(change_kind(c, v));
      return kinds.empty() ? "(1=0)" : "c.change IN (" + bind_list(kinds) + ")";
    }
    const auto rs = ranges(c, items);
    if (is_ordering(c.op)) {
      return "c.at_ms " + std::string(sql_operator(c.op)) + " " + bind(rs.front().first_ms);
    }
    std::string any;
    for (const auto& r : rs) {
      any += (any.empty() ? "" : " OR ") + std::string("(c.at_ms >= ") + bind(r.first_ms) +
             " AND c.at_ms <= " + bind(r.last_ms) + ")";
    }
    return any.empty() ? "(1=0)" : "(" + any + ")";
  }

  std::string local_change(const JqlClause& c) {
    const std::string empty =
        "(NOT EXISTS (SELECT 1 FROM ticket_changes c WHERE c.ticket_id = t.id))";
    if (c.op == JqlOperator::kIs || c.op == JqlOperator::kIsNot) {
      return equality(c.op, empty, "", false);
    }
    const bool negative = is_negative(c.op);
    JqlClause positive = c;
    if (negative) positive.op = is_list_op(c.op) ? JqlOperator::kIn : JqlOperator::kEquals;
    // Deleted tickets come in only for a positive "deleted" (not for != deleted).
    const bool included_before = include_deleted_;
    const bool out_of_scope_before = include_out_of_scope_;
    const std::string found = "t.id IN (SELECT c.ticket_id FROM ticket_changes c WHERE " +
                              change_condition(positive) + ")";
    if (negative) include_deleted_ = included_before;
    if (negative) include_out_of_scope_ = out_of_scope_before;
    return negative ? "(NOT " + empty + " AND NOT " + found + ")" : found;
  }

  // ---- ORDER BY

  // Whether every match is of one project: a `project = KEY` (or IN with one
  // key) that must hold for the whole query. The project is then left out of
  // the key order, so the key-order index (migration 10) delivers the rows
  // sorted: SQLite does not see that an ORDER BY expression is fixed by the
  // WHERE, and would sort every match of the project.
  static bool fixes_one_project(const JqlClause& c) {
    if (c.kind == JqlClause::Kind::kAnd) {
      for (const auto& child : c.children) {
        if (fixes_one_project(child)) return true;
      }
      return false;
    }
    if (c.kind != JqlClause::Kind::kTerminal || lower(c.field) != "project") return false;
    const JqlOperand* value = &c.operand;
    if (c.op == JqlOperator::kIn && value->kind == JqlOperand::Kind::kList &&
        value->items.size() == 1) {
      value = &value->items.front();
    } else if (c.op != JqlOperator::kEquals) {
      return false;
    }
    // A number may be a project id, matched by another column.
    return value->kind == JqlOperand::Kind::kValue && !value->value.empty() &&
           !all_digits(value->value) && lower(value->value) != "empty" &&
           lower(value->value) != "null";
  }

  // The text column a field sorts by (in the dialect's binary collation), or
  // nullptr when it does not sort as text.
  static const char* text_sort_column(Field f) {
    switch (f) {
      case Field::kProject:
        return "t.project";
      case Field::kSummary:
        return "t.summary";
      case Field::kStatus:
        return "t.status";
      case Field::kIssueType:
        return "t.issue_type";
      case Field::kResolution:
        return "COALESCE(t.resolution, '')";
      case Field::kAssignee:
        return "COALESCE(t.assignee_name, '')";
      case Field::kReporter:
        return "COALESCE(t.reporter_name, '')";
      default:
        return nullptr;
    }
  }

  std::vector<JqlSortColumn> order(const std::vector<JqlSortKey>& keys) {
    std::vector<JqlSortColumn> out;
    const auto add = [&](std::string sql, bool asc, bool text) {
      out.push_back({std::move(sql), asc, text});
    };
    // Empty values sort after every real one (before them when descending).
    constexpr const char* kLast = "9223372036854775807";
    for (const auto& k : keys) {
      const std::string name = lower(k.field);
      Field f{};
      bool known = false;
      for (const auto& [alias, info] : kFields) {
        if (name == alias) {
          f = info.id;
          known = true;
        }
      }
      if (!known) {
        const std::string id = custom_sort_id(k.field);
        const bool asc = k.ascending.value_or(true);
        for (auto& [sql, text] : custom_sort(id)) add(std::move(sql), asc, text);
        continue;
      }
      const bool newest_first = f == Field::kCreated || f == Field::kUpdated ||
                                f == Field::kResolved || f == Field::kPriority ||
                                f == Field::kDueDate;
      const bool asc = k.ascending.value_or(!newest_first);
      switch (f) {
        case Field::kKey:
          if (!one_project_) add(text_sort("t.project"), asc, true);
          add(key_number(), asc, false);
          break;
        case Field::kId:
          add(id_number(), asc, false);
          break;
        case Field::kCreated:
          add("t.created_ms", asc, false);
          break;
        case Field::kUpdated:
          add("t.updated_ms", asc, false);
          break;
        case Field::kResolved:
          add(std::string("COALESCE(t.resolution_ms, ") + kLast + ")", asc, false);
          break;
        case Field::kDueDate:
          add("COALESCE(NULLIF(t.due_date, ''), '9999-99-99')", asc, true);
          break;
        case Field::kPriority:
          // Lowest (1) .. Highest (5); none after all of them.
          add(priority_sort(), asc, false);
          break;
        default:
          if (const char* column = text_sort_column(f)) {
            add(text_sort(column), asc, true);
          } else {
            invalid("Field '" + k.field + "' does not support sorting.");
          }
      }
    }
    if (keys.empty()) {
      if (!one_project_) add(text_sort("t.project"), true, true);
      add(key_number(), true, false);
    }
    // Ties end on the issue id, as Jira's stable paging does.
    add(id_number(), true, false);
    add(pg_ ? "t.id COLLATE \"C\"" : "t.id", true, true);
    return out;
  }

  // The custom field an ORDER BY names (cf[N] or a name of the field list),
  // as "customfield_N". Its id is written into the SQL text (a sort column
  // takes no parameters), so only digits pass.
  std::string custom_sort_id(const std::string& field) const {
    const std::string name = lower(field);
    std::string id;
    if (name.size() > 4 && name.rfind("cf[", 0) == 0 && name.back() == ']') {
      id = "customfield_" + name.substr(3, name.size() - 4);
    } else if (auto it = ctx_.custom_field_ids.find(name); it != ctx_.custom_field_ids.end()) {
      id = it->second;
    } else if (ctx_.ambiguous_custom_fields.count(name)) {
      invalid("Field '" + field +
              "' is ambiguous: more than one custom field has that name. Name the one you mean "
              "by its id, e.g. cf[10016].");
    }
    constexpr std::string_view kPrefix = "customfield_";
    const std::string digits = id.size() > kPrefix.size() ? id.substr(kPrefix.size()) : "";
    if (id.rfind(kPrefix, 0) != 0 || digits.size() > 18 || !all_digits(digits)) {
      invalid("Field '" + field + "' does not exist or you do not have permission to view it.");
    }
    return id;
  }

  // ORDER BY a custom field, as three columns: empty (1) after every value,
  // then a number by value (millionths), then text ASCII-lower-case: a
  // string, an option's value (else a name, else a display name), an array by
  // its first item. tests/jirasim/jql/custom_field_order.hpp is the same rule.
  std::vector<std::pair<std::string, bool>> custom_sort(const std::string& id) const {
    std::string type, name, number;
    if (!pg_) {
      const std::string path = "'$." + id + "'";
      const std::string at = "(CASE json_type(t.custom_fields, " + path +
                             ") WHEN 'array' THEN '$." + id + "[0]' ELSE " + path + " END)";
      const auto member = [&](const char* m) {
        const std::string p = at + " || '." + m + "'";
        return "WHEN json_type(t.custom_fields, " + p +
               ") = 'text' THEN json_extract(t.custom_fields, " + p + ") ";
      };
      type = "json_type(t.custom_fields, " + at + ")";
      name = "(CASE " + type + " WHEN 'text' THEN json_extract(t.custom_fields, " + at +
             ") WHEN 'object' THEN (CASE " + member("value") + member("name") +
             member("displayName") + "END) END)";
      number = "(CASE WHEN " + type +
               " IN ('integer', 'real') THEN CAST(round(json_extract(t.custom_fields, " + at +
               ") * 1000000) AS INTEGER) ELSE 0 END)";
      return {{"(CASE WHEN " + type + " IN ('integer', 'real') OR " + name +
                   " IS NOT NULL THEN 0 ELSE 1 END)",
               false},
              {number, false},
              {lower_sql("COALESCE(" + name + ", '')"), true}};
    }
    const std::string j = "(CAST(t.custom_fields AS jsonb) -> '" + id + "')";
    const std::string at =
        "(CASE WHEN jsonb_typeof(" + j + ") = 'array' THEN " + j + " -> 0 ELSE " + j + " END)";
    const auto member = [&](const char* m) {
      return std::string("WHEN jsonb_typeof(") + at + " -> '" + m + "') = 'string' THEN " + at +
             " ->> '" + m + "' ";
    };
    type = "jsonb_typeof(" + at + ")";
    name = "(CASE WHEN " + type + " = 'string' THEN " + at + " #>> '{}' WHEN " + type +
           " = 'object' THEN (CASE " + member("value") + member("name") + member("displayName") +
           "END) END)";
    number = "(CASE WHEN " + type + " = 'number' THEN CAST(LEAST(GREATEST(round(CAST(" + at +
             " #>> '{}' AS numeric) * 1000000), -9223372036854775808), 9223372036854775807) AS "
             "BIGINT) ELSE 0 END)";
    return {{"(CASE WHEN " + type + " = 'number' OR " + name + " IS NOT NULL THEN 0 ELSE 1 END)",
             false},
            {number, false},
            {text_sort("COALESCE(" + name + ", '')"), true}};
  }

  static bool is_key_field(const std::string& field) {
    const std::string f = lower(field);
    return f == "key" || f == "issuekey";
  }

  bool pg_;
  bool one_project_ = false;  // fixes_one_project(where)
  bool key_order_ = true;     // the ORDER BY starts with the key (or is the default)
  const JqlContext& ctx_;
  std::vector<JqlParam> params_;
  bool include_deleted_ = false;
  bool include_out_of_scope_ = false;
  int nested_ = 0;  // OR and NOT clauses around the term being compiled
  std::map<std::string, JqlColumnRange> ranges_;  // note_range(), by column
};

}  // namespace

namespace {

// A clause names a field the context cannot resolve yet: no system field,
// no cf[N], no custom field name already known.
bool names_unresolved_field(const JqlClause& c, const JqlContext& context) {
  for (const JqlClause& child : c.children) {
    if (names_unresolved_field(child, context)) return true;
  }
  if (c.kind != JqlClause::Kind::kTerminal) return false;
  const std::string name = lower(c.field);
  for (const auto& [alias, info] : kFields) {
    if (name == alias) return false;
  }
  if (name.size() > 4 && name.rfind("cf[", 0) == 0) return false;
  return context.custom_field_ids.count(name) == 0 &&
         context.ambiguous_custom_fields.count(name) == 0;
}

// An ORDER BY names a field the context cannot resolve yet.
bool orders_by_unresolved_field(const JqlQuery& query, const JqlContext& context) {
  for (const JqlSortKey& k : query.order_by) {
    JqlClause c;
    c.field = k.field;
    if (names_unresolved_field(c, context)) return true;
  }
  return false;
}

}  // namespace

CompiledJql compile_jql(const JqlQuery& query, Backend backend, const JqlContext& context) {
  if (context.custom_fields && ((query.where && names_unresolved_field(*query.where, context)) ||
                                orders_by_unresolved_field(query, context))) {
    JqlContext named = context;
    named.custom_fields = nullptr;
    add_custom_field_names(named, context.custom_fields());
    return Compiler(backend, named).run(query);
  }
  return Compiler(backend, context).run(query);
}

}  // namespace jirasync
