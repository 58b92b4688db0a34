#include "common/store/sql_ticket_queries.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/store/distinct_ids.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "common/store/ticket_children.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

SqlTicketQueries::SqlTicketQueries(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::optional<CachedTicket> SqlTicketQueries::find_by_key(const std::string& key_or_old_key) {
  auto lock = db_->lock();
  soci::session& s = db_->session();
  const std::string select = std::string("SELECT ") + ticket_columns() + " FROM tickets ";
  // A live row holding the key wins over a deleted one that once held it.
  auto row = SqlQuery(select + "WHERE key = ? ORDER BY deleted, updated_ms DESC")
                 .arg(key_or_old_key)
                 .fetch_one(s, ticket_column_kinds());
  if (!row) {
    row = SqlQuery(select +
                   "WHERE id = (SELECT ticket_id FROM ticket_keys WHERE key = ? "
                   "ORDER BY from_ms DESC LIMIT 1)")
              .arg(key_or_old_key)
              .fetch_one(s, ticket_column_kinds());
  }
  if (!row) return std::nullopt;
  CachedTicket ticket = ticket_row_from_sql(*row).cached;
  load_ticket_children(s, {{ticket.id, &ticket.issue}});
  return ticket;
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

std::map<std::string, CachedTicket> SqlTicketQueries::find_by_ids(
    const std::vector<std::string>& ids) {
  // The reconciler's batched read is the same read: rows, then each list table once.
  return SqlTicketCache(db_).load(ids);
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
  for (const SqlRow& r :
       SqlQuery("SELECT ticket_id, run_id, change, detail, at_ms FROM ticket_changes "
                "WHERE ticket_id = ? ORDER BY id")
           .arg(ticket_id)
           .fetch(db_->session(), "tttti")) {
    out.push_back(TicketChange{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  }
  return out;
}

}  // namespace jirasync
