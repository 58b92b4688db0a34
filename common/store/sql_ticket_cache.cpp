#include "common/store/sql_ticket_cache.hpp"

#include "common/store/distinct_ids.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/ticket_children.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

SqlTicketCache::SqlTicketCache(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::map<std::string, CachedTicket> SqlTicketCache::load_rows(const std::vector<std::string>& ids) {
  std::map<std::string, CachedTicket> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (SqlRow& r : fetch_in(db_->session(),
                            std::string("SELECT ") + ticket_columns() + " FROM tickets WHERE id IN",
                            distinct_ids(ids), "", ticket_column_kinds())) {
    TicketRow row = ticket_row_from_sql(std::move(r));
    std::string id = row.cached.id;
    out.emplace(std::move(id), std::move(row.cached));
  }
  return out;
}

std::map<std::string, CachedTicket> SqlTicketCache::load(const std::vector<std::string>& ids) {
  auto lock = db_->lock();
  std::map<std::string, CachedTicket> out = load_rows(ids);
  if (out.empty()) return out;
  std::map<std::string, JiraIssue*> issues;
  for (auto& [id, ticket] : out) issues.emplace(id, &ticket.issue);
  load_ticket_children(db_->session(), issues);
  return out;
}

std::map<std::string, std::vector<LocalEdit>> SqlTicketCache::local_edits(
    const std::vector<std::string>& ids) {
  std::map<std::string, std::vector<LocalEdit>> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (const SqlRow& r :
       fetch_in(db_->session(),
                "SELECT ticket_id, field, value, edited_ms FROM local_edits WHERE ticket_id IN",
                distinct_ids(ids), "ORDER BY ticket_id, field", "ttti")) {
    out[r.text(0)].push_back(LocalEdit{r.text(0), r.text(1), r.text(2), r.i64(3)});
  }
  return out;
}

}  // namespace jirasync
