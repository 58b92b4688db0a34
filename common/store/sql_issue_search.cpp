#include "common/store/sql_issue_search.hpp"

#include <memory>
#include <optional>
#include <set>
#include <stdexcept>

#include "common/jql/range_plan.hpp"
#include "common/jql/search_cursor.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {
namespace {

constexpr const char* kColumns =
    "t.id, t.key, t.project, t.issue_type, t.status, t.status_category, t.priority, "
    "t.assignee_name, t.reporter_name, t.resolution, t.summary, t.labels, t.components, "
    "t.fix_versions, t.parent_key, t.created_ms, t.updated_ms, t.resolution_ms, "
    "t.last_synced_ms, t.deleted";
constexpr const char* kColumnKinds = "tttttttttttttttiiiii";
constexpr size_t kColumnCount = 20;

std::string ascii_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The values of every `assignee` clause, ASCII lower-case.
void assignee_values(const JqlClause& c, std::set<std::string>& out) {
  for (const JqlClause& child : c.children) assignee_values(child, out);
  if (c.kind != JqlClause::Kind::kTerminal || ascii_lower(c.field) != "assignee") return;
  if (c.operand.kind == JqlOperand::Kind::kValue) out.insert(ascii_lower(c.operand.value));
  for (const JqlOperand& item : c.operand.items) {
    if (item.kind == JqlOperand::Kind::kValue) out.insert(ascii_lower(item.value));
  }
}

}  // namespace

// The assignee values no ticket is displayed as (in practice account ids):
// one lookup in tickets_assignee_name (migration 10) per query.
JqlContext SqlIssueSearch::with_absent_names(const JqlQuery& query,
                                             const JqlContext& context) const {
  JqlContext out = context;
  std::set<std::string> values;
  if (query.where) assignee_values(*query.where, values);
  if (values.empty()) return out;
  // The expression tickets_assignee_name indexes, and compile_jql() compares.
  const std::string lowered = db_->backend() == Backend::kPostgres
                                  ? "translate(assignee_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                                    "'abcdefghijklmnopqrstuvwxyz')"
                                  : "lower(assignee_name)";
  SqlQuery q("SELECT DISTINCT " + lowered + " FROM tickets WHERE " + lowered + " IN (" +
             placeholders(values.size()) + ")");
  for (const std::string& v : values) q.arg(v);
  std::vector<SqlRow> named;
  {
    auto lock = db_->lock();
    try {
      named = q.fetch(db_->session(), "t");
    } catch (const std::exception& e) {
      db_->fail("searching the cache", e);
    }
  }
  for (const SqlRow& r : named) values.erase(r.text(0));
  out.absent_assignee_names.insert(values.begin(), values.end());
  return out;
}

// Every query on the cache (CLI, REST, Jira-compatible routes, MCP,
// templates, refresh --jql) runs here: custom field names resolve through the
// stored field list unless the caller gave its own. The list is read at most
// once per call, and only for a query naming a field the compiler does not know.
JqlContext SqlIssueSearch::with_field_list(const JqlContext& context) const {
  JqlContext out = context;
  auto source = context.custom_fields ? context.custom_fields : stored_custom_fields(db_);
  auto read = std::make_shared<std::optional<std::vector<CustomFieldName>>>();
  out.custom_fields = [source = std::move(source), read] {
    if (!*read) *read = source();
    return **read;
  };
  return out;
}

std::vector<CatalogField> SqlIssueSearch::stored_fields() {
  return SqlFieldCatalog(db_).all();
}

// SQLite only (PostgreSQL's statistics know a range's size): the ranges large
// enough that walking the order beats reading them by their index
// (range_plan.hpp), found by counting each range's rows up to a bound.
JqlContext SqlIssueSearch::with_range_plan(const CompiledJql& compiled, const JqlContext& context,
                                           int limit) const {
  JqlContext out = context;
  if (db_->backend() != Backend::kSqlite || compiled.ranges.empty()) return out;
  auto lock = db_->lock();
  try {
    // The largest rowid: the table's size in O(log n), a little more after deletions.
    const auto rows = SqlQuery("SELECT COALESCE(MAX(rowid), 0) FROM tickets")
                          .fetch_one(db_->session(), "i")
                          ->i64(0);
    const RangePlanInputs in{rows, int64_t{limit} + 1};
    const int64_t probe = range_probe_limit(in);
    if (probe == 0) return out;
    for (const JqlColumnRange& r : compiled.ranges) {
      // The compiler's column names, never input; anything else is left alone.
      if (r.column != "t.updated_ms" && r.column != "t.created_ms") continue;
      const int64_t counted = SqlQuery("SELECT COUNT(*) FROM (SELECT 1 FROM tickets t WHERE " +
                                       r.column + " >= ? AND " + r.column + " <= ? LIMIT ?)")
                                  .arg(r.first_ms)
                                  .arg(r.last_ms)
                                  .arg(probe)
                                  .fetch_one(db_->session(), "i")
                                  ->i64(0);
      if (walk_order_past_range(in, counted)) out.unindexed_ranges.insert(r.column);
    }
  } catch (const std::exception& e) {
    db_->fail("searching the cache", e);
  }
  return out;
}

SqlIssueSearch::Statement SqlIssueSearch::statement(const JqlQuery& query,
                                                    const JqlContext& context, int limit,
                                                    const std::string& after) const {
  if (limit < 1 || limit > 10000) throw std::invalid_argument("limit must be 1..10000");
  const JqlContext resolved = with_absent_names(query, with_field_list(context));
  CompiledJql c = compile_jql(query, db_->backend(), resolved);
  if (const JqlContext planned = with_range_plan(c, resolved, limit);
      !planned.unindexed_ranges.empty()) {
    c = compile_jql(query, db_->backend(), planned);  // the same terms, `+column`
  }
  Statement s;
  s.params = c.params;
  std::string sql = std::string("SELECT ") + kColumns;
  for (const auto& col : c.order) sql += ", " + col.sql;
  sql += " FROM tickets t WHERE (" + c.where + ")";
  if (!c.include_deleted) sql += " AND t.deleted = 0";
  if (!c.include_out_of_scope) sql += " AND t.out_of_scope = 0";
  if (!after.empty()) {
    const auto values = decode_search_cursor(after, c.order);
    sql += " AND " + keyset_condition(c.order, values, s.params);
  }
  sql += " ORDER BY ";
  for (size_t i = 0; i < c.order.size(); ++i) {
    sql += (i ? ", " : "") + c.order[i].sql + (c.order[i].ascending ? " ASC" : " DESC");
  }
  // One row more than asked tells whether another page follows.
  sql += " LIMIT ?";
  s.params.emplace_back(int64_t{limit} + 1);
  s.sql = std::move(sql);
  s.sort_columns = c.order.size();
  return s;
}

IssueSearchPage SqlIssueSearch::search(const JqlQuery& query, const JqlContext& given, int limit,
                                       const std::string& after) {
  const JqlContext context = with_field_list(given);
  const Statement s = statement(query, context, limit, after);
  // The same order as the statement's: it depends on the WHERE (one project
  // leaves the project out of it), not on the assignee names looked up.
  const CompiledJql order_only = compile_jql(query, db_->backend(), context);
  std::string kinds = kColumnKinds;
  for (const auto& col : order_only.order) kinds += col.text ? 't' : 'i';

  SqlQuery q(s.sql);
  for (const JqlParam& p : s.params) {
    if (const auto* i = std::get_if<int64_t>(&p)) {
      q.arg(*i);
    } else {
      q.arg(std::get<std::string>(p));
    }
  }
  std::vector<SqlRow> rows;
  {
    auto lock = db_->lock();
    try {
      rows = q.fetch(db_->session(), kinds);
    } catch (const std::exception& e) {
      db_->fail("searching the cache", e);
    }
  }
  IssueSearchPage page;
  const size_t shown = std::min(rows.size(), static_cast<size_t>(limit));
  for (size_t n = 0; n < shown; ++n) {
    const SqlRow& r = rows[n];
    IssueSearchRow out;
    out.id = r.text(0);
    out.key = r.text(1);
    out.project = r.text(2);
    out.issue_type = r.text(3);
    out.status = r.text(4);
    out.status_category = r.text(5);
    out.priority = r.text(6);
    out.assignee = r.text(7);
    out.reporter = r.text(8);
    out.resolution = r.text(9);
    out.summary = r.text(10);
    out.labels = r.text(11);
    out.components = r.text(12);
    out.fix_versions = r.text(13);
    out.parent_key = r.text(14);
    out.created_ms = r.i64(15);
    out.updated_ms = r.i64(16);
    out.resolved_ms = r.opt_i64(17);
    out.last_synced_ms = r.i64(18);
    out.deleted = r.flag(19);
    page.rows.push_back(std::move(out));
  }
  if (rows.size() > static_cast<size_t>(limit)) {
    const SqlRow& last = rows[shown - 1];
    std::vector<JqlParam> values;
    for (size_t i = 0; i < order_only.order.size(); ++i) {
      const size_t column = kColumnCount + i;
      if (order_only.order[i].text) {
        values.emplace_back(last.text(column));
      } else {
        values.emplace_back(last.i64(column));
      }
    }
    page.next_cursor = encode_search_cursor(values);
  }
  return page;
}

int64_t SqlIssueSearch::count(const JqlQuery& query, const JqlContext& context) {
  const CompiledJql c = compile_jql(query, db_->backend(), with_field_list(context));
  SqlQuery q(std::string("SELECT COUNT(*) FROM tickets t WHERE (") + c.where + ")" +
             (c.include_deleted ? "" : " AND t.deleted = 0"));
  for (const JqlParam& p : c.params) {
    if (const auto* i = std::get_if<int64_t>(&p)) {
      q.arg(*i);
    } else {
      q.arg(std::get<std::string>(p));
    }
  }
  auto lock = db_->lock();
  try {
    return q.fetch_one(db_->session(), "i")->i64(0);
  } catch (const std::exception& e) {
    db_->fail("counting a search of the cache", e);
  }
}

}  // namespace jirasync
