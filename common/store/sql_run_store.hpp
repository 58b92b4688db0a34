#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/run_store.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

// RunStore on PostgreSQL or SQLite. Every call holds the Database lock for
// its duration (see Database for the threading rule). Transitions that do not
// apply to a run's current status (a late heartbeat on a finished run, a
// requeue of a run that is no longer waiting) are ignored: with at-least-once
// delivery they are normal. A run id that does not exist at all is an error
// (std::invalid_argument naming run_id).
class SqlRunStore final : public RunStore {
 public:
  explicit SqlRunStore(std::shared_ptr<Database> db);

  CreateResult create_run(const SyncRun& run) override;
  std::optional<SyncRun> get_run(const std::string& run_id) override;
  std::vector<SyncRun> list_runs(const std::string& project, int limit) override;
  std::optional<SyncRun> active_run(const std::string& project) override;

  void mark_running(const std::string& run_id, int64_t now_ms, int64_t expected_total) override;
  void heartbeat(const std::string& run_id, int64_t now_ms, const RunStats& fetch_stats) override;
  void mark_fetch_complete(const std::string& run_id, int64_t emitted, int64_t max_updated_ms,
                           const RunStats& fetch_stats, int64_t now_ms) override;
  void mark_attempt_failed(const std::string& run_id, const std::string& reason, int64_t now_ms,
                           std::optional<int64_t> next_attempt_ms) override;

  std::vector<SyncRun> runs_due_for_retry(int64_t now_ms) override;
  bool requeue(const std::string& run_id, int64_t now_ms) override;
  std::vector<SyncRun> stale_runs(int64_t now_ms, int64_t lease_ms) override;

  int64_t cursor_ms(const std::string& project) override;

 private:
  // SELECT <all columns> FROM sync_runs <tail>, with `?` arguments.
  std::vector<SyncRun> select_runs(const std::string& tail, const std::vector<SqlValue>& args);
  void require_run(const std::string& run_id);

  std::shared_ptr<Database> db_;
};

// Advances project_cursors for `run_id` if the run is now successful (and is a
// kind that covers the whole window: not a refresh of given keys). Idempotent
// (cursor = max(cursor, run.max_updated_ms)), so both sides that can finish a
// run run it in the same transaction as their status update.
void advance_cursor_if_succeeded(Database& db, const std::string& run_id);

}  // namespace jirasync
