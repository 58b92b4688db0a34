#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "common/config/config.hpp"

namespace jirasync {

class Database;

// How often the roles read sync_runs for these metrics: a few cheap GROUP BYs.
inline constexpr std::chrono::milliseconds kRunMetricsInterval{5000};

// What sync_runs says about every project, as metrics to alert on. Read from
// the database rather than counted where runs start, because runs start in
// many processes (the CLI, the control API, webhooks, cron, retries) and the
// table is the one place that sees them all:
//   jirasync_runs_triggered_total{project,trigger}  runs created, by their
//     trigger (cron, manual, api, webhook, refresh), and trigger="retry" for
//     every attempt after a run's first
//   jirasync_runs_finished_total{project,status}    success / failed
//   jirasync_runs_active{project,status}            queued / running / retry_wait now
//   jirasync_run_duration_seconds{project}          start to finish of a finished run
//   jirasync_project_last_success_timestamp_seconds{project}  end of the last
//     successful full or incremental run (0: never); refreshes of single keys
//     do not make the cache fresh, so they do not count
//   jirasync_project_cache_age_seconds{project}     now less the start of that run
//     (absent until the first success)
//   jirasync_project_last_run_failed{project}       1 while the latest finished run failed
//   jirasync_project_cache_ttl_seconds{project}     the configured cache_ttl
// Counters start from what the table holds when the exporter starts.
class RunMetrics {
 public:
  RunMetrics(std::shared_ptr<Database> db, const Config& config, prometheus::Registry& registry,
             int64_t now_ms);

  // One read of sync_runs; moves every metric. Throws DatabaseError when the
  // database does not answer (the metrics keep their last values).
  void refresh(int64_t now_ms);

 private:
  using Pair = std::pair<std::string, std::string>;
  void count(prometheus::Family<prometheus::Counter>& family, const char* label, const Pair& key,
             int64_t total, std::map<Pair, int64_t>& seen);
  void observe_finished_since(int64_t since_ms);

  std::shared_ptr<Database> db_;
  prometheus::Family<prometheus::Counter>& triggered_;
  prometheus::Family<prometheus::Counter>& finished_;
  prometheus::Family<prometheus::Gauge>& active_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Gauge>& last_success_;
  prometheus::Family<prometheus::Gauge>& cache_age_;
  prometheus::Family<prometheus::Gauge>& last_run_failed_;
  std::map<Pair, int64_t> triggered_seen_;  // (project, trigger) -> total counted
  std::map<Pair, int64_t> finished_seen_;   // (project, status) -> total counted
  std::set<std::string> projects_;
  // Finished runs already observed in the histogram, within the look-back.
  std::map<std::string, int64_t> observed_;  // run id -> finished_ms
  int64_t started_ms_;
  int64_t observed_until_ms_;  // the newest finish observed
};

}  // namespace jirasync
