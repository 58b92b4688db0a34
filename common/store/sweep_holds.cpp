#include "common/store/sweep_holds.hpp"

#include "common/store/in_write_transaction.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

std::vector<StoredSweepHold> list_sweep_holds(Database& db, bool pending_only) {
  auto lock = db.lock();
  std::vector<StoredSweepHold> out;
  for (const SqlRow& r :
       SqlQuery(std::string("SELECT id, project, run_id, started_ms, would_delete, live, held_ms, "
                            "status, released_ms FROM sweep_holds") +
                (pending_only ? " WHERE status = 'held'" : "") + " ORDER BY id DESC")
           .fetch(db.session(), "ittiiiiti")) {
    StoredSweepHold h;
    h.id = r.i64(0);
    h.hold = SweepHold{r.text(1), r.text(2), r.i64(3), r.i64(4), r.i64(5), r.i64(6)};
    h.status = r.text(7);
    h.released_ms = r.opt_i64(8);
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<std::vector<std::string>> release_sweep_hold(Database& db, const std::string& project,
                                                           int64_t now_ms) {
  return in_write_transaction(
      db, "releasing the held sweep of " + project,
      [&]() -> std::optional<std::vector<std::string>> {
        soci::session& s = db.session();
        const auto held = SqlQuery(
                              "SELECT run_id, started_ms, held_ms FROM sweep_holds "
                              "WHERE project = ? AND status = 'held' ORDER BY id DESC")
                              .arg(project)
                              .fetch_one(s, "tii");
        if (!held) return std::nullopt;
        const std::string run_id = held->text(0);
        std::vector<std::string> gone;
        for (const SqlRow& r :
             SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0 AND created_ms < ? "
                      "AND last_synced_ms <= ? "
                      "AND id NOT IN (SELECT issue_id FROM sweep_ids WHERE run_id = ?) ORDER BY id")
                 .arg(project)
                 .arg(held->i64(1))
                 .arg(held->i64(2))
                 .arg(run_id)
                 .fetch(s, "t")) {
          gone.push_back(r.text(0));
        }
        execute_in(s,
                   "UPDATE tickets SET deleted = 1, deleted_ms = ?, last_synced_ms = ? WHERE id IN",
                   gone, "", {now_ms, now_ms});
        std::vector<std::vector<SqlValue>> changes;
        for (const std::string& id : gone) {
          changes.push_back({id, run_id, std::string("deleted"),
                             std::string("{\"reason\":\"not found by the sweep (released)\"}"),
                             now_ms});
        }
        execute_rows(s, "ticket_changes", "ticket_id, run_id, change, detail, at_ms", changes);
        SqlQuery("DELETE FROM sweep_ids WHERE run_id = ?").arg(run_id).execute(s);
        SqlQuery("UPDATE sweep_holds SET status = 'released', released_ms = ? WHERE run_id = ?")
            .arg(now_ms)
            .arg(run_id)
            .execute(s);
        return gone;
      });
}

}  // namespace jirasync
