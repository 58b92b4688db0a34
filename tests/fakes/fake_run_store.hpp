#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <utility>

#include "common/store/run_completion.hpp"
#include "common/store/run_store.hpp"

namespace jirasync::fakes {

// An in-memory RunStore with the same lease and finalisation rules as the SQL one.
class FakeRunStore final : public RunStore {
 public:
  CreateResult create_run(const SyncRun& run) override {
    std::lock_guard lk(mu_);
    for (auto& [id, r] : runs_)
      if (r.project == run.project && active(r.status)) return {r, false};
    runs_[run.id] = run;
    return {run, true};
  }
  std::optional<SyncRun> get_run(const std::string& id) override {
    std::lock_guard lk(mu_);
    auto it = runs_.find(id);
    if (it == runs_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<SyncRun> list_runs(const std::string& project, int limit) override {
    std::lock_guard lk(mu_);
    std::vector<SyncRun> out;
    for (auto& [id, r] : runs_)
      if ((project.empty() || r.project == project) && static_cast<int>(out.size()) < limit)
        out.push_back(r);
    return out;
  }
  std::optional<SyncRun> active_run(const std::string& project) override {
    std::lock_guard lk(mu_);
    for (auto& [id, r] : runs_)
      if (r.project == project && active(r.status)) return r;
    return std::nullopt;
  }
  void mark_running(const std::string& id, int64_t now, int64_t expected) override {
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    if (r.status != RunStatus::kQueued && r.status != RunStatus::kRunning) return;
    if (r.status == RunStatus::kQueued) r.error.clear();  // a new attempt starts
    r.status = RunStatus::kRunning;
    if (!r.started_ms) r.started_ms = now;
    r.heartbeat_ms = now;
    r.expected_total = expected;
  }
  void heartbeat(const std::string& id, int64_t now, const RunStats& s) override {
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    if (r.status != RunStatus::kRunning) return;
    r.heartbeat_ms = now;
    r.stats.api_calls = s.api_calls;
    r.stats.pages = s.pages;
    r.stats.fetched = s.fetched;
  }
  void mark_fetch_complete(const std::string& id, int64_t emitted, int64_t max_updated,
                           const RunStats& s, int64_t now) override {
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    if (r.status != RunStatus::kQueued && r.status != RunStatus::kRunning) return;
    r.fetch_complete = true;
    r.emitted = emitted;
    r.max_updated_ms = max_updated;
    r.stats.api_calls = s.api_calls;
    r.stats.pages = s.pages;
    r.stats.fetched = s.fetched;
    finish_if_complete(r, now);
  }
  void mark_attempt_failed(const std::string& id, const std::string& reason, int64_t now,
                           std::optional<int64_t> next) override {
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    if (!active(r.status)) return;
    r.error = reason;
    r.next_attempt_ms = next;
    r.heartbeat_ms = now;
    r.status = next ? RunStatus::kRetryWait : RunStatus::kFailed;
    if (!next) {
      r.finished_ms = now;
      if (!r.started_ms) r.started_ms = r.created_ms;
    }
  }
  std::vector<SyncRun> runs_due_for_retry(int64_t now) override {
    std::lock_guard lk(mu_);
    std::vector<SyncRun> out;
    for (auto& [id, r] : runs_)
      if (r.status == RunStatus::kRetryWait && r.next_attempt_ms && *r.next_attempt_ms <= now)
        out.push_back(r);
    return out;
  }
  bool requeue(const std::string& id, int64_t now) override {
    if (auto hook = std::exchange(before_requeue, nullptr)) hook();
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    if (r.status != RunStatus::kRetryWait) return false;
    r.status = RunStatus::kQueued;
    r.attempt += 1;
    r.next_attempt_ms.reset();
    r.heartbeat_ms = now;
    r.fetch_complete = false;
    r.emitted = 0;
    r.applied = 0;
    return true;
  }
  std::vector<SyncRun> stale_runs(int64_t now, int64_t lease) override {
    std::lock_guard lk(mu_);
    std::vector<SyncRun> out;
    for (auto& [id, r] : runs_)
      if ((r.status == RunStatus::kRunning || r.status == RunStatus::kQueued) &&
          r.heartbeat_ms < now - lease)
        out.push_back(r);
    return out;
  }
  int64_t cursor_ms(const std::string& project) override {
    std::lock_guard lk(mu_);
    auto it = cursors_.find(project);
    return it == cursors_.end() ? 0 : it->second;
  }

  // Test hooks.
  std::function<void()> before_requeue;  // runs once, e.g. another scheduler winning the race
  void apply_items(const std::string& id, int64_t n, int64_t now) {
    std::lock_guard lk(mu_);
    auto& r = runs_.at(id);
    r.applied += n;
    finish_if_complete(r, now);
  }
  void set_cursor(const std::string& project, int64_t ms) {
    std::lock_guard lk(mu_);
    cursors_[project] = ms;
  }

 private:
  static bool active(RunStatus s) {
    return s == RunStatus::kQueued || s == RunStatus::kRunning || s == RunStatus::kRetryWait;
  }
  void finish_if_complete(SyncRun& r, int64_t now) {
    if (!run_completes(r)) return;
    r.status = RunStatus::kSuccess;
    r.finished_ms = now;
    auto& c = cursors_[r.project];
    c = std::max(c, r.max_updated_ms);
  }

  std::mutex mu_;
  std::map<std::string, SyncRun> runs_;
  std::map<std::string, int64_t> cursors_;
};

}  // namespace jirasync::fakes
