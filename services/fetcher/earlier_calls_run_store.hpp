#pragma once

#include "common/store/run_store.hpp"

namespace jirasync {

// The RunStore one fetch attempt reports through: its API-call count gets the
// requests of the run's earlier attempts (and of a crashed fetcher's part of
// this one) added, so a run shows every request Jira answered for it, not
// just the last attempt's. Everything else passes through unchanged.
class EarlierCallsRunStore final : public RunStore {
 public:
  EarlierCallsRunStore(RunStore& runs, int64_t earlier_api_calls)
      : runs_(runs), earlier_(earlier_api_calls) {}

  CreateResult create_run(const SyncRun& run) override { return runs_.create_run(run); }
  std::optional<SyncRun> get_run(const std::string& run_id) override {
    return runs_.get_run(run_id);
  }
  std::vector<SyncRun> list_runs(const std::string& project, int limit) override {
    return runs_.list_runs(project, limit);
  }
  std::optional<SyncRun> active_run(const std::string& project) override {
    return runs_.active_run(project);
  }
  void mark_running(const std::string& run_id, int64_t now_ms, int64_t expected_total) override {
    runs_.mark_running(run_id, now_ms, expected_total);
  }
  void heartbeat(const std::string& run_id, int64_t now_ms, const RunStats& fetch_stats) override {
    runs_.heartbeat(run_id, now_ms, with_earlier(fetch_stats));
  }
  void mark_fetch_complete(const std::string& run_id, int64_t emitted, int64_t max_updated_ms,
                           const RunStats& fetch_stats, int64_t now_ms) override {
    runs_.mark_fetch_complete(run_id, emitted, max_updated_ms, with_earlier(fetch_stats), now_ms);
  }
  void mark_attempt_failed(const std::string& run_id, const std::string& reason, int64_t now_ms,
                           std::optional<int64_t> next_attempt_ms) override {
    runs_.mark_attempt_failed(run_id, reason, now_ms, next_attempt_ms);
  }
  std::vector<SyncRun> runs_due_for_retry(int64_t now_ms) override {
    return runs_.runs_due_for_retry(now_ms);
  }
  bool requeue(const std::string& run_id, int64_t now_ms) override {
    return runs_.requeue(run_id, now_ms);
  }
  std::vector<SyncRun> stale_runs(int64_t now_ms, int64_t lease_ms) override {
    return runs_.stale_runs(now_ms, lease_ms);
  }
  int64_t cursor_ms(const std::string& project) override { return runs_.cursor_ms(project); }

 private:
  RunStats with_earlier(RunStats stats) const {
    stats.api_calls += earlier_;
    return stats;
  }

  RunStore& runs_;
  int64_t earlier_;
};

}  // namespace jirasync
