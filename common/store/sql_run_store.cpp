#include "common/store/sql_run_store.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/store/json_columns.hpp"
#include "common/store/run_completion.hpp"

namespace jirasync {

namespace {

// A run reads as the sum of its owning fetcher's part and its slices' part.
constexpr const char* kRunColumns =
    "id, project, kind, keys, run_trigger, status, attempt, since_ms, created_ms, started_ms, "
    "finished_ms, next_attempt_ms, heartbeat_ms, expected_total, fetch_complete, "
    "emitted + slice_emitted, applied, max_updated_ms, error, stat_api_calls + slice_api_calls, "
    "stat_pages, stat_fetched + slice_fetched, stat_created, stat_updated, stat_unchanged, "
    "stat_deleted, stat_moved, stat_conflicts, stat_dead_lettered, slices_total, slices_done, "
    "slice_api_calls";
constexpr const char* kRunColumnKinds =
    "tttttt"
    "iiiiiiiiiiii"
    "t"
    "iiiiiiiiii"
    "iii";

constexpr const char* kUnfinished = "('queued', 'running', 'retry_wait')";

SyncRun run_from_row(const SqlRow& r) {
  SyncRun run;
  run.id = r.text(0);
  run.project = r.text(1);
  run.kind = job_kind_from_string(r.text(2));
  run.keys = string_list_from_json(r.text(3), "sync_runs.keys");
  run.trigger = r.text(4);
  run.status = run_status_from_string(r.text(5));
  run.attempt = static_cast<int>(r.i64(6));
  run.since_ms = r.i64(7);
  run.created_ms = r.i64(8);
  run.started_ms = r.opt_i64(9);
  run.finished_ms = r.opt_i64(10);
  run.next_attempt_ms = r.opt_i64(11);
  run.heartbeat_ms = r.i64(12);
  run.expected_total = r.i64(13);
  run.fetch_complete = r.flag(14);
  run.emitted = r.i64(15);
  run.applied = r.i64(16);
  run.max_updated_ms = r.i64(17);
  run.error = r.text(18);
  run.stats.api_calls = r.i64(19);
  run.stats.pages = r.i64(20);
  run.stats.fetched = r.i64(21);
  run.stats.created = r.i64(22);
  run.stats.updated = r.i64(23);
  run.stats.unchanged = r.i64(24);
  run.stats.deleted = r.i64(25);
  run.stats.moved = r.i64(26);
  run.stats.conflicts = r.i64(27);
  run.stats.dead_lettered = r.i64(28);
  run.slices_total = r.i64(29);
  run.slices_done = r.i64(30);
  run.slice_api_calls = r.i64(31);
  return run;
}

}  // namespace

void advance_cursor_if_succeeded(Database& db, const std::string& run_id) {
  const SqlDialect& d = db.dialect();
  SqlQuery(
      "INSERT INTO project_cursors (project, cursor_ms) "
      // A listed run's cursor never passes the time its listing ended.
      "SELECT project, CASE WHEN cursor_cap_ms IS NOT NULL AND cursor_cap_ms < max_updated_ms "
      "THEN cursor_cap_ms ELSE max_updated_ms END FROM sync_runs "
      "WHERE id = ? AND status = 'success' AND kind <> ? AND max_updated_ms > 0 "
      "ON CONFLICT (project) DO UPDATE SET cursor_ms = " +
      d.greatest("project_cursors.cursor_ms", "excluded.cursor_ms"))
      .arg(run_id)
      .arg(to_string(JobKind::kRefresh))
      .execute(db.session());
}

SqlRunStore::SqlRunStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::vector<SyncRun> SqlRunStore::select_runs(const std::string& tail,
                                              const std::vector<SqlValue>& args) {
  SqlQuery q(std::string("SELECT ") + kRunColumns + " FROM sync_runs " + tail);
  for (const SqlValue& a : args) q.arg(a);
  std::vector<SyncRun> runs;
  for (const SqlRow& row : q.fetch(db_->session(), kRunColumnKinds)) {
    runs.push_back(run_from_row(row));
  }
  return runs;
}

void SqlRunStore::require_run(const std::string& run_id) {
  if (!SqlQuery("SELECT 1 FROM sync_runs WHERE id = ?")
           .arg(run_id)
           .fetch_one(db_->session(), "i")) {
    throw std::invalid_argument("run_id: no sync run '" + run_id + "'");
  }
}

RunStore::CreateResult SqlRunStore::create_run(const SyncRun& run) {
  if (run.id.empty()) throw std::invalid_argument("run.id: must not be empty");
  if (run.project.empty()) throw std::invalid_argument("run.project: must not be empty");
  auto lock = db_->lock();
  // ON CONFLICT DO NOTHING without a target also covers the partial unique
  // index: a concurrent insert for the same project waits for the other
  // transaction and then inserts nothing.
  const int64_t inserted =
      SqlQuery(
          "INSERT INTO sync_runs (id, project, kind, keys, run_trigger, status, attempt, since_ms, "
          "created_ms, started_ms, finished_ms, next_attempt_ms, heartbeat_ms, expected_total, "
          "fetch_complete, emitted, applied, max_updated_ms, error) VALUES (" +
          placeholders(19) + ") ON CONFLICT DO NOTHING")
          .arg(run.id)
          .arg(run.project)
          .arg(to_string(run.kind))
          .arg(string_list_to_json(run.keys))
          .arg(run.trigger)
          .arg(to_string(run.status))
          .arg(run.attempt)
          .arg(run.since_ms)
          .arg(run.created_ms)
          .arg(run.started_ms)
          .arg(run.finished_ms)
          .arg(run.next_attempt_ms)
          .arg(run.heartbeat_ms != 0 ? run.heartbeat_ms : run.created_ms)
          .arg(run.expected_total)
          .arg(run.fetch_complete)
          .arg(run.emitted)
          .arg(run.applied)
          .arg(run.max_updated_ms)
          .arg(run.error)
          .execute(db_->session());
  if (inserted == 1) {
    return {*get_run(run.id), true};
  }
  if (auto active = active_run(run.project)) return {*active, false};
  if (auto existing = get_run(run.id)) return {*existing, false};
  // The blocking run finished between our insert and our look-up: try once more.
  if (SqlQuery("INSERT INTO sync_runs (id, project, kind, keys, run_trigger, status, attempt, "
               "since_ms, created_ms, heartbeat_ms, expected_total) VALUES (" +
               placeholders(11) + ") ON CONFLICT DO NOTHING")
          .arg(run.id)
          .arg(run.project)
          .arg(to_string(run.kind))
          .arg(string_list_to_json(run.keys))
          .arg(run.trigger)
          .arg(to_string(run.status))
          .arg(run.attempt)
          .arg(run.since_ms)
          .arg(run.created_ms)
          .arg(run.heartbeat_ms != 0 ? run.heartbeat_ms : run.created_ms)
          .arg(run.expected_total)
          .execute(db_->session()) == 1) {
    return {*get_run(run.id), true};
  }
  if (auto active = active_run(run.project)) return {*active, false};
  throw DatabaseError("sync run '" + run.id + "' could be neither inserted nor found");
}

std::optional<SyncRun> SqlRunStore::get_run(const std::string& run_id) {
  auto lock = db_->lock();
  auto runs = select_runs("WHERE id = ?", {run_id});
  if (runs.empty()) return std::nullopt;
  return runs.front();
}

std::vector<SyncRun> SqlRunStore::list_runs(const std::string& project, int limit) {
  if (limit <= 0) throw std::invalid_argument("limit: must be positive");
  auto lock = db_->lock();
  if (project.empty()) {
    return select_runs("ORDER BY created_ms DESC, id DESC LIMIT ?", {int64_t{limit}});
  }
  return select_runs("WHERE project = ? ORDER BY created_ms DESC, id DESC LIMIT ?",
                     {project, int64_t{limit}});
}

std::optional<SyncRun> SqlRunStore::active_run(const std::string& project) {
  auto lock = db_->lock();
  auto runs = select_runs(std::string("WHERE project = ? AND status IN ") + kUnfinished, {project});
  if (runs.empty()) return std::nullopt;
  return runs.front();
}

void SqlRunStore::mark_running(const std::string& run_id, int64_t now_ms, int64_t expected_total) {
  auto lock = db_->lock();
  const int64_t n = SqlQuery(
                        "UPDATE sync_runs SET status = 'running', "
                        "started_ms = COALESCE(started_ms, ?), heartbeat_ms = ?, "
                        "expected_total = ?, "
                        // A new attempt starts: an earlier attempt's error
                        // goes, so a success shows only what this one found.
                        "error = CASE WHEN status = 'queued' THEN '' ELSE error END "
                        "WHERE id = ? AND status IN ('queued', 'running')")
                        .arg(now_ms)
                        .arg(now_ms)
                        .arg(expected_total)
                        .arg(run_id)
                        .execute(db_->session());
  if (n == 0) require_run(run_id);
}

void SqlRunStore::heartbeat(const std::string& run_id, int64_t now_ms,
                            const RunStats& fetch_stats) {
  auto lock = db_->lock();
  const int64_t n = SqlQuery(
                        "UPDATE sync_runs SET heartbeat_ms = ?, stat_api_calls = ?, "
                        "stat_pages = ?, stat_fetched = ? WHERE id = ? AND status = 'running'")
                        .arg(now_ms)
                        .arg(fetch_stats.api_calls)
                        .arg(fetch_stats.pages)
                        .arg(fetch_stats.fetched)
                        .arg(run_id)
                        .execute(db_->session());
  if (n == 0) require_run(run_id);
}

void SqlRunStore::mark_fetch_complete(const std::string& run_id, int64_t emitted,
                                      int64_t max_updated_ms, const RunStats& fetch_stats,
                                      int64_t now_ms) {
  if (emitted < 0) throw std::invalid_argument("emitted: must not be negative");
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    // One statement decides and sets success, against the row as the writer
    // last committed it: the writer's apply() does the mirror image, so
    // whichever side commits second finalises the run.
    const int64_t n =
        SqlQuery("UPDATE sync_runs SET fetch_complete = 1, emitted = ?, max_updated_ms = " +
                 db_->dialect().greatest("max_updated_ms", "?") +
                 ", stat_api_calls = ?, stat_pages = ?, stat_fetched = ?, heartbeat_ms = ?, " +
                 finalise_run_sql("1 = 1", "applied", "?") +
                 " WHERE id = ? AND status IN ('queued', 'running')")
            .arg(emitted)
            .arg(max_updated_ms)
            .arg(fetch_stats.api_calls)
            .arg(fetch_stats.pages)
            .arg(fetch_stats.fetched)
            .arg(now_ms)
            .arg(emitted)
            .arg(emitted)
            .arg(now_ms)
            .arg(run_id)
            .execute(db_->session());
    if (n == 0) require_run(run_id);
    advance_cursor_if_succeeded(*db_, run_id);
    tx.commit();
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("marking fetch complete for run " + run_id, e);
  }
}

void SqlRunStore::mark_attempt_failed(const std::string& run_id, const std::string& reason,
                                      int64_t now_ms, std::optional<int64_t> next_attempt_ms) {
  auto lock = db_->lock();
  int64_t n = 0;
  if (next_attempt_ms) {
    n = SqlQuery(std::string("UPDATE sync_runs SET status = 'retry_wait', next_attempt_ms = ?, "
                             "error = ?, heartbeat_ms = ? WHERE id = ? AND status IN ") +
                 kUnfinished)
            .arg(*next_attempt_ms)
            .arg(reason)
            .arg(now_ms)
            .arg(run_id)
            .execute(db_->session());
  } else {
    // A run that no fetcher ever took is timed from its creation, not 0 s.
    n = SqlQuery(std::string("UPDATE sync_runs SET status = 'failed', finished_ms = ?, "
                             "started_ms = COALESCE(started_ms, created_ms), "
                             "next_attempt_ms = NULL, error = ?, heartbeat_ms = ? "
                             "WHERE id = ? AND status IN ") +
                 kUnfinished)
            .arg(now_ms)
            .arg(reason)
            .arg(now_ms)
            .arg(run_id)
            .execute(db_->session());
  }
  if (n == 0) require_run(run_id);
}

std::vector<SyncRun> SqlRunStore::runs_due_for_retry(int64_t now_ms) {
  auto lock = db_->lock();
  return select_runs(
      "WHERE status = 'retry_wait' AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id",
      {now_ms});
}

bool SqlRunStore::requeue(const std::string& run_id, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    // A new attempt fetches again from the start, so its items are counted
    // afresh: otherwise a snapshot the previous attempt already counted would
    // be skipped as a redelivery even when the new one is newer, and a sweep
    // would mix the chunks of two attempts. Stats are kept (see RunStats
    // for which add up over attempts). The error
    // stays until the next attempt starts: it is the cause a lease expiry
    // reports when no fetcher takes the job.
    const int64_t n = SqlQuery(
                          "UPDATE sync_runs SET status = 'queued', attempt = attempt + 1, "
                          "next_attempt_ms = NULL, fetch_complete = 0, emitted = 0, applied = 0, "
                          "slice_listing = '', slices_total = 0, slices_done = 0, "
                          "slice_emitted = 0, slice_fetched = 0, cursor_cap_ms = NULL, "
                          "heartbeat_ms = ? WHERE id = ? AND status = 'retry_wait'")
                          .arg(now_ms)
                          .arg(run_id)
                          .execute(db_->session());
    if (n == 0) {
      require_run(run_id);
    } else {
      SqlQuery("DELETE FROM run_items WHERE run_id = ?").arg(run_id).execute(db_->session());
      SqlQuery("DELETE FROM sweep_ids WHERE run_id = ?").arg(run_id).execute(db_->session());
      SqlQuery("DELETE FROM run_slices WHERE run_id = ?").arg(run_id).execute(db_->session());
    }
    tx.commit();
    return n == 1;
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("requeueing run " + run_id, e);
  }
}

std::vector<SyncRun> SqlRunStore::stale_runs(int64_t now_ms, int64_t lease_ms) {
  auto lock = db_->lock();
  return select_runs(
      "WHERE status IN ('queued', 'running') AND heartbeat_ms < ? ORDER BY heartbeat_ms, id",
      {now_ms - lease_ms});
}

int64_t SqlRunStore::cursor_ms(const std::string& project) {
  auto lock = db_->lock();
  auto row = SqlQuery("SELECT cursor_ms FROM project_cursors WHERE project = ?")
                 .arg(project)
                 .fetch_one(db_->session(), "i");
  return row ? row->i64(0) : 0;
}

}  // namespace jirasync
