#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/store/sync_run.hpp"

namespace jirasync {

// sync_runs, per-project cursors and the one-run-per-project lease.
class RunStore {
 public:
  virtual ~RunStore() = default;

  // Inserts a queued run unless the project already has a queued, running or
  // retry-waiting run (a partial unique index, so it holds across processes).
  // Returns the existing run in that case, with `created` false.
  struct CreateResult {
    SyncRun run;
    bool created = false;
  };
  virtual CreateResult create_run(const SyncRun& run) = 0;

  virtual std::optional<SyncRun> get_run(const std::string& run_id) = 0;
  virtual std::vector<SyncRun> list_runs(const std::string& project, int limit) = 0;
  virtual std::optional<SyncRun> active_run(const std::string& project) = 0;

  // Fetcher side.
  virtual void mark_running(const std::string& run_id, int64_t now_ms, int64_t expected_total) = 0;
  virtual void heartbeat(const std::string& run_id, int64_t now_ms,
                         const RunStats& fetch_stats) = 0;
  // Fetch done: records how many items were emitted; finalises the run
  // (success + cursor advance) when the writer already applied them all.
  virtual void mark_fetch_complete(const std::string& run_id, int64_t emitted,
                                   int64_t max_updated_ms, const RunStats& fetch_stats,
                                   int64_t now_ms) = 0;
  // A failed attempt: retry_wait with next_attempt_ms, or failed when attempts are used up.
  virtual void mark_attempt_failed(const std::string& run_id, const std::string& reason,
                                   int64_t now_ms, std::optional<int64_t> next_attempt_ms) = 0;

  // Scheduler side.
  virtual std::vector<SyncRun> runs_due_for_retry(int64_t now_ms) = 0;
  // Moves a retry_wait run back to queued with attempt+1. False when the run
  // was not waiting (another scheduler requeued it first): the caller must
  // not send its job again.
  virtual bool requeue(const std::string& run_id, int64_t now_ms) = 0;
  // Running/queued runs whose heartbeat is older than now - lease_ms.
  virtual std::vector<SyncRun> stale_runs(int64_t now_ms, int64_t lease_ms) = 0;

  virtual int64_t cursor_ms(const std::string& project) = 0;  // 0 when never synced
};

}  // namespace jirasync
