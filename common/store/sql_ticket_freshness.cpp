#include "common/store/sql_ticket_freshness.hpp"

#include <algorithm>

#include "common/store/sql_query.hpp"

namespace jirasync {

std::string latest_good_run_sql(const std::string& project_sql) {
  return "(SELECT MAX(s.started_ms) FROM sync_runs s WHERE s.project = " + project_sql +
         " AND s.status = 'success' AND s.kind IN ('incremental', 'full', 'refetch'))";
}

std::map<std::string, TicketAge> SqlTicketFreshness::ages(const std::vector<std::string>& ids) {
  auto lock = db_->lock();
  std::map<std::string, TicketAge> out;
  if (ids.empty()) return out;
  // One statement, through fetch_in (prepared once per connection on
  // PostgreSQL): the tickets' own ages, and the start of the latest good sync
  // of each of their projects, asked once per project (GET /api/v1/issues/{key}
  // is hot: this was two round trips, the second parsed and planned each time).
  for (const SqlRow& r :
       fetch_in(db_->session(),
                "WITH t AS (SELECT t.id, t.project, t.last_synced_ms, c.checked_ms FROM tickets t "
                "LEFT JOIN ticket_checks c ON c.ticket_id = t.id WHERE t.id IN",
                ids,
                "), v AS (SELECT p.project, " + latest_good_run_sql("p.project") +
                    " AS verified_ms FROM (SELECT DISTINCT project FROM t) p) "
                    "SELECT t.id, t.project, t.last_synced_ms, t.checked_ms, v.verified_ms FROM t "
                    "JOIN v ON v.project = t.project",
                "ttiii")) {
    out[r.text(0)] = TicketAge{r.text(0), r.text(1), newest_match_ms(r.i64(2), r.i64(3), r.i64(4))};
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
