#include "common/store/sql_ticket_queries.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "common/store/distinct_ids.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "common/store/sql_ticket_children.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

namespace {

// The lists of many tickets, as children_union() for one, with each row's
// ticket id after its kind (1 comment, 2 link, 3 sub-task, 4 attachment);
// `k` is the tickets' CTE.
std::string page_children_union() {
  return "SELECT 1, ticket_id, comment_id, author_id, author_name, body_adf, body_text, '', "
         "created_ms, updated_ms, NULL, NULL, created_ms, LENGTH(comment_id), comment_id{T} "
         "FROM ticket_comments WHERE ticket_id IN (SELECT id FROM k)"
         " UNION ALL SELECT 2, l.ticket_id, l.link_id, l.link_type, l.direction, l.label, "
         "l.other_id, l.other_key, 0, 0, o.key, o.deleted, l.position, 0, ''{T} "
         "FROM ticket_links l LEFT JOIN tickets o ON o.id = l.other_id "
         "WHERE l.ticket_id IN (SELECT id FROM k)"
         " UNION ALL SELECT 3, st.ticket_id, st.subtask_id, st.subtask_key, '', '', '', '', 0, "
         "0, o.key, o.deleted, st.position, 0, ''{T} FROM ticket_subtasks st "
         "LEFT JOIN tickets o ON o.id = st.subtask_id WHERE st.ticket_id IN (SELECT id FROM k)"
         " UNION ALL SELECT 4, ticket_id, attachment_id, filename, mime_type, author_id, "
         "author_name, '', size_bytes, created_ms, NULL, NULL, position, 0, ''{T} "
         "FROM ticket_attachments WHERE ticket_id IN (SELECT id FROM k)";
}

constexpr const char* kPageChildKinds = "itttttttiitiiit";

// One row of page_children_union() into its issue, by add_child's rule.
void add_page_child(SqlRow& r, JiraIssue& issue) {
  const int64_t kind = r.i64(0);
  const bool other_known = !r.is_null(11);
  if (other_known && r.i64(11) != 0) return;  // the other end was deleted
  auto user = [&r](size_t id_col, size_t name_col) -> std::optional<JiraUser> {
    if (r.is_null(id_col) && r.is_null(name_col)) return std::nullopt;
    return JiraUser{r.take_text(id_col), r.take_text(name_col)};
  };
  if (kind == 1) {
    issue.comments.push_back(
        {r.take_text(2), user(3, 4), r.take_text(5), r.take_text(6), r.i64(8), r.i64(9)});
  } else if (kind == 2) {
    issue.links.push_back({r.take_text(2), r.take_text(3), r.take_text(4), r.take_text(5),
                           r.take_text(6), other_known ? r.take_text(10) : r.take_text(7)});
  } else if (kind == 3) {
    issue.subtasks.push_back({r.take_text(2), other_known ? r.take_text(10) : r.take_text(3)});
  } else {
    issue.attachments.push_back(
        {r.take_text(2), r.take_text(3), r.take_text(4), r.i64(8), r.i64(9), user(5, 6)});
  }
}

}  // namespace

SqlTicketQueries::SqlTicketQueries(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::optional<CachedTicket> SqlTicketQueries::find_by_key(const std::string& key_or_old_key) {
  auto lock = db_->lock();
  soci::session& s = db_->session();
  if (auto ticket = ticket_with_children(s, key_or_old_key)) return ticket;
  // A former key: rare, so two statements.
  const auto row = SqlQuery(std::string("SELECT ") + ticket_columns() +
                            " FROM tickets WHERE id = (SELECT ticket_id FROM ticket_keys "
                            "WHERE key = ? ORDER BY from_ms DESC LIMIT 1)")
                       .arg(key_or_old_key)
                       .fetch_one(s, ticket_column_kinds());
  if (!row) return std::nullopt;
  CachedTicket ticket = ticket_row_from_sql(*row).cached;
  load_children_of_one(s, ticket.id, ticket.issue);
  return ticket;
}

std::optional<TicketQueries::WithHistory> SqlTicketQueries::find_with_history(
    const std::string& key_or_old_key) {
  auto lock = db_->lock();
  std::vector<TicketChange> history;
  if (auto ticket = ticket_with_children(db_->session(), key_or_old_key, &history))
    return WithHistory{std::move(*ticket), std::move(history)};
  // A former key: rare, so the statements one by one (the lock is the thread's: reentrant).
  return TicketQueries::find_with_history(key_or_old_key);
}

std::map<std::string, std::string> SqlTicketQueries::current_keys(
    const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (const SqlRow& r : fetch_in(db_->session(), "SELECT id, key FROM tickets WHERE id IN",
                                  distinct_ids(ids), "", "tt")) {
    out.emplace(r.text(0), r.text(1));
  }
  return out;
}

// The reconciler's batched read (SqlTicketCache::load: the rows, then each
// list table, then the other ends) in two statements: the rows, and the four
// lists with their other ends in one UNION ALL (a page of 100 was six round
// trips; the rows stay apart, as 42 more columns on each of ~600 list rows
// cost more than the round trip). The lists are put in
// load_ticket_children's order here (by ticket, then comments by creation,
// id length and id, the others by position), not by the database: ids
// compare as bytes, as SQLite compares them; comment ids are digits, which
// every collation orders so at equal length.
std::map<std::string, CachedTicket> SqlTicketQueries::find_by_ids(
    const std::vector<std::string>& ids) {
  auto lock = db_->lock();
  std::map<std::string, CachedTicket> out = SqlTicketCache(db_).load_rows(ids);
  if (out.empty()) return out;
  static const std::string after = ") " + replace_all(page_children_union(), "{T}", "");
  std::vector<SqlRow> rows =
      fetch_in(db_->session(), "WITH k(id) AS (SELECT id FROM tickets WHERE id IN",
               distinct_ids(ids), after, kPageChildKinds);
  struct Child {
    int64_t kind;
    std::string owner;
    int64_t n1;
    int64_t n2;
    std::string s1;
    SqlRow* row;
  };
  std::vector<Child> children;
  children.reserve(rows.size());
  for (SqlRow& r : rows)
    children.push_back({r.i64(0), r.take_text(1), r.i64(12), r.i64(13), r.take_text(14), &r});
  std::sort(children.begin(), children.end(), [](const Child& a, const Child& b) {
    return std::tie(a.kind, a.owner, a.n1, a.n2, a.s1) <
           std::tie(b.kind, b.owner, b.n1, b.n2, b.s1);
  });
  for (Child& c : children) {
    if (auto it = out.find(c.owner); it != out.end()) add_page_child(*c.row, it->second.issue);
  }
  return out;
}

std::map<std::string, CachedTicket> SqlTicketQueries::find_rows_by_ids(
    const std::vector<std::string>& ids) {
  std::map<std::string, CachedTicket> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  // Only what a reference shows: a page's ~150 parents, sub-tasks and link
  // ends without their descriptions and custom fields to read and parse.
  for (SqlRow& r : fetch_in(db_->session(),
                            "SELECT id, key, summary, status, status_category, priority, "
                            "issue_type, subtask, deleted, updated_ms FROM tickets WHERE id IN",
                            distinct_ids(ids), "", "tttttttiii")) {
    CachedTicket t;
    JiraIssue& i = t.issue;
    i.id = r.take_text(0);
    i.key = r.take_text(1);
    i.summary = r.take_text(2);
    i.status = r.take_text(3);
    i.status_category = r.take_text(4);
    i.priority = r.take_opt_text(5);
    i.issue_type = r.take_text(6);
    i.subtask = r.flag(7);
    t.deleted = r.flag(8);
    i.updated_ms = r.i64(9);
    t.id = i.id;
    t.key = i.key;
    t.updated_ms = i.updated_ms;
    std::string id = t.id;
    out.emplace(std::move(id), std::move(t));
  }
  return out;
}

std::map<std::string, std::string> SqlTicketQueries::ids_of_keys(
    const std::vector<std::string>& keys) {
  std::map<std::string, std::string> out;
  if (keys.empty()) return out;
  auto lock = db_->lock();
  soci::session& s = db_->session();
  struct Holder {
    std::string id;
    bool deleted = true;
    int64_t updated_ms = 0;
  };
  std::map<std::string, Holder> holders;
  for (const SqlRow& r :
       fetch_in(s, "SELECT key, id, deleted, updated_ms FROM tickets WHERE key IN",
                distinct_ids(keys), "", "ttii")) {
    Holder h{r.text(1), r.i64(2) != 0, r.i64(3)};
    auto [it, added] = holders.emplace(r.text(0), h);
    // A live row holding the key wins over a deleted one that once held it.
    if (!added && (it->second.deleted > h.deleted ||
                   (it->second.deleted == h.deleted && h.updated_ms > it->second.updated_ms))) {
      it->second = h;
    }
  }
  std::vector<std::string> former;
  for (const auto& key : distinct_ids(keys)) {
    if (auto it = holders.find(key); it != holders.end()) {
      out.emplace(key, it->second.id);
    } else {
      former.push_back(key);
    }
  }
  if (former.empty()) return out;
  std::map<std::string, int64_t> latest;
  for (const SqlRow& r : fetch_in(s, "SELECT key, ticket_id, from_ms FROM ticket_keys WHERE key IN",
                                  former, "", "tti")) {
    auto it = latest.find(r.text(0));
    if (it != latest.end() && it->second >= r.i64(2)) continue;
    latest[r.text(0)] = r.i64(2);
    out[r.text(0)] = r.text(1);
  }
  return out;
}

std::vector<TicketSummary> SqlTicketQueries::list(const std::string& project, int limit) {
  if (limit <= 0) throw std::invalid_argument("limit: must be positive");
  auto lock = db_->lock();
  SqlQuery q(
      std::string("SELECT id, key, project, issue_type, status, priority, assignee_name, summary, "
                  "sync_status, updated_ms, deleted FROM tickets ") +
      (project.empty() ? "" : "WHERE project = ? ") + "ORDER BY updated_ms DESC, id LIMIT ?");
  if (!project.empty()) q.arg(project);
  q.arg(limit);
  std::vector<TicketSummary> out;
  for (const SqlRow& r : q.fetch(db_->session(), "tttttttttii")) {
    TicketSummary t;
    t.id = r.text(0);
    t.key = r.text(1);
    t.project = r.text(2);
    t.issue_type = r.text(3);
    t.status = r.text(4);
    t.priority = r.text(5);
    t.assignee = r.text(6);
    t.summary = r.text(7);
    t.sync_status = r.text(8);
    t.updated_ms = r.i64(9);
    t.deleted = r.flag(10);
    out.push_back(std::move(t));
  }
  return out;
}

int64_t SqlTicketQueries::count(const std::string& project) {
  auto lock = db_->lock();
  SqlQuery q(std::string("SELECT COUNT(*) FROM tickets WHERE deleted = 0") +
             (project.empty() ? "" : " AND project = ?"));
  if (!project.empty()) q.arg(project);
  return q.fetch_one(db_->session(), "i")->i64(0);
}

std::vector<TicketChange> SqlTicketQueries::changes(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<TicketChange> out;
  // fetch_in with one key: prepared once per connection on PostgreSQL.
  for (const SqlRow& r :
       fetch_in(db_->session(),
                "SELECT ticket_id, run_id, change, detail, at_ms FROM ticket_changes "
                "WHERE ticket_id IN",
                {ticket_id}, "ORDER BY id", "tttti")) {
    out.push_back(TicketChange{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  }
  return out;
}

}  // namespace jirasync
