#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/envelope/sync_job.hpp"

namespace jirasync {

enum class RunStatus { kQueued, kRunning, kRetryWait, kSuccess, kFailed };
const char* to_string(RunStatus s);
RunStatus run_status_from_string(const std::string& s);

// What a run did. The writer's counters add up over all attempts; of the
// fetcher's, api_calls does too (every request Jira answered for the run),
// pages and fetched are the latest attempt's.
struct RunStats {
  int64_t api_calls = 0;
  int64_t pages = 0;
  int64_t fetched = 0;  // issue snapshots emitted by the fetcher
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t deleted = 0;
  int64_t moved = 0;
  int64_t conflicts = 0;
  int64_t dead_lettered = 0;
  bool operator==(const RunStats&) const = default;
};

// One sync of one project (a row of sync_runs). The scheduler creates it; the
// fetcher reports what it emitted; the writer counts what it applied.
struct SyncRun {
  std::string id;
  std::string project;
  JobKind kind = JobKind::kIncremental;
  std::vector<std::string> keys;
  std::string trigger;  // "cron", "manual", "retry", "webhook"
  RunStatus status = RunStatus::kQueued;
  int attempt = 1;
  int64_t since_ms = 0;
  int64_t created_ms = 0;
  std::optional<int64_t> started_ms;
  std::optional<int64_t> finished_ms;
  std::optional<int64_t> next_attempt_ms;
  int64_t heartbeat_ms = 0;
  int64_t expected_total = -1;  // approximate-count at start; -1 unknown
  bool fetch_complete = false;
  // Items the fetchers put on issues.raw (snapshots + sweep records), the
  // slices' included.
  int64_t emitted = 0;
  int64_t applied = 0;  // distinct items the writer committed
  int64_t max_updated_ms = 0;
  // Slices of the current listing (fetch.slices): published and recorded as
  // fetched. The run ends only once every one is (0 and 0: not sliced).
  int64_t slices_total = 0;
  int64_t slices_done = 0;
  int64_t slice_api_calls = 0;  // the part of stats.api_calls the slices made
  std::string error;
  RunStats stats;
};

}  // namespace jirasync
