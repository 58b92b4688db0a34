#include "common/store/sql_ticket_freshness.hpp"

#include <algorithm>

#include "common/store/sql_query.hpp"

namespace jirasync {

std::map<std::string, TicketAge> SqlTicketFreshness::ages(const std::vector<std::string>& ids) {
  auto lock = db_->lock();
  std::map<std::string, TicketAge> out;
  if (ids.empty()) return out;
  for (const SqlRow& r : fetch_in(db_->session(),
                                  "SELECT t.id, t.project, t.last_synced_ms, c.checked_ms FROM "
                                  "tickets t LEFT JOIN ticket_checks c ON c.ticket_id = t.id "
                                  "WHERE t.id IN",
                                  ids, "", "ttii")) {
    out[r.text(0)] = TicketAge{r.text(0), r.text(1), std::max(r.i64(2), r.i64(3))};
  }
  std::map<std::string, int64_t> verified;  // project -> start of its latest good sync
  for (auto& [id, age] : out) {
    auto it = verified.find(age.project);
    if (it == verified.end()) {
      auto row = SqlQuery(
                     "SELECT MAX(started_ms) FROM sync_runs WHERE project = ? AND status = "
                     "'success' AND kind IN ('incremental', 'full', 'refetch')")
                     .arg(age.project)
                     .fetch_one(db_->session(), "i");
      it = verified.emplace(age.project, row ? row->i64(0) : 0).first;
    }
    age.synced_ms = std::max(age.synced_ms, it->second);
  }
  return out;
}

void SqlTicketFreshness::mark_checked(const std::vector<std::string>& ids, int64_t at_ms) {
  if (ids.empty()) return;
  auto lock = db_->lock();
  std::vector<std::vector<SqlValue>> rows;
  for (const std::string& id : ids) rows.push_back({id, at_ms});
  execute_rows(db_->session(), "ticket_checks", "ticket_id, checked_ms", rows,
               "ON CONFLICT (ticket_id) DO UPDATE SET checked_ms = CASE WHEN "
               "excluded.checked_ms > ticket_checks.checked_ms THEN excluded.checked_ms ELSE "
               "ticket_checks.checked_ms END");
}

}  // namespace jirasync
