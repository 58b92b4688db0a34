#include "services/scheduler/run_metrics.hpp"

#include <algorithm>

#include "common/store/database.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

namespace {

// Another process's clock, or a commit that lands late, may put a finish a
// little behind the newest one seen: look back this far for them.
constexpr int64_t kLookBackMs = 120000;

const char* const kActiveStatuses[] = {"queued", "running", "retry_wait"};

double seconds(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace

RunMetrics::RunMetrics(std::shared_ptr<Database> db, const Config& config,
                       prometheus::Registry& registry, int64_t now_ms)
    : db_(std::move(db)),
      triggered_(prometheus::BuildCounter()
                     .Name("jirasync_runs_triggered_total")
                     .Help("Sync runs created, by project and trigger (cron, manual, api, "
                           "webhook, refresh); trigger=retry counts attempts after the first")
                     .Register(registry)),
      finished_(prometheus::BuildCounter()
                    .Name("jirasync_runs_finished_total")
                    .Help("Sync runs finished, by project and status (success, failed)")
                    .Register(registry)),
      active_(prometheus::BuildGauge()
                  .Name("jirasync_runs_active")
                  .Help("Sync runs now queued, running or waiting for a retry, by project")
                  .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("jirasync_run_duration_seconds")
                    .Help("Start to finish of sync runs that finished, by project")
                    .Register(registry)),
      last_success_(prometheus::BuildGauge()
                        .Name("jirasync_project_last_success_timestamp_seconds")
                        .Help("Unix time the last successful full or incremental run of the "
                              "project finished; 0 when it never succeeded")
                        .Register(registry)),
      cache_age_(prometheus::BuildGauge()
                     .Name("jirasync_project_cache_age_seconds")
                     .Help("Seconds since the last successful full or incremental run of the "
                           "project started: how old the cache may be")
                     .Register(registry)),
      last_run_failed_(prometheus::BuildGauge()
                           .Name("jirasync_project_last_run_failed")
                           .Help("1 while the latest finished run of the project failed")
                           .Register(registry)),
      started_ms_(now_ms),
      observed_until_ms_(now_ms) {
  auto& ttl = prometheus::BuildGauge()
                  .Name("jirasync_project_cache_ttl_seconds")
                  .Help("The project's configured cache_ttl")
                  .Register(registry);
  for (const auto& p : config.projects) {
    projects_.insert(p.key);
    ttl.Add({{"project", p.key}}).Set(seconds(p.cache_ttl_ms));
  }
}

void RunMetrics::count(prometheus::Family<prometheus::Counter>& family, const char* label,
                       const Pair& key, int64_t total, std::map<Pair, int64_t>& seen) {
  auto& counter = family.Add({{"project", key.first}, {label, key.second}});
  int64_t& before = seen[key];
  // Rows are not deleted today; if they ever are, the counter holds still.
  if (total > before) counter.Increment(static_cast<double>(total - before));
  before = std::max(before, total);
}

void RunMetrics::refresh(int64_t now_ms) {
  auto lock = db_->lock();
  auto& session = db_->session();

  std::map<Pair, int64_t> triggered, finished, active;
  for (const SqlRow& r : SqlQuery("SELECT project, run_trigger, status, COUNT(*), "
                                  "CAST(COALESCE(SUM(attempt - 1), 0) AS BIGINT) FROM sync_runs "
                                  "GROUP BY project, run_trigger, status")
                             .fetch(session, "tttii")) {
    const std::string project = r.text(0);
    const std::string status = r.text(2);
    projects_.insert(project);
    triggered[{project, r.text(1)}] += r.i64(3);
    triggered[{project, "retry"}] += r.i64(4);
    if (status == "success" || status == "failed") {
      finished[{project, status}] += r.i64(3);
    } else {
      active[{project, status}] += r.i64(3);
    }
  }
  for (const auto& [key, total] : triggered)
    count(triggered_, "trigger", key, total, triggered_seen_);
  for (const auto& [key, total] : finished) count(finished_, "status", key, total, finished_seen_);
  for (const std::string& project : projects_) {
    for (const char* status : kActiveStatuses) {
      const auto it = active.find({project, status});
      active_.Add({{"project", project}, {"status", status}})
          .Set(it == active.end() ? 0.0 : static_cast<double>(it->second));
    }
  }

  // The latest finish of each status tells whether the project is failing now.
  std::map<std::string, std::pair<int64_t, int64_t>> latest;  // project -> (success, failed)
  for (const SqlRow& r : SqlQuery("SELECT project, status, MAX(finished_ms) FROM sync_runs "
                                  "WHERE status IN ('success', 'failed') GROUP BY project, status")
                             .fetch(session, "tti")) {
    auto& l = latest[r.text(0)];
    (r.text(1) == "success" ? l.first : l.second) = r.i64(2);
  }
  std::map<std::string, std::pair<int64_t, int64_t>> fresh;  // project -> (started, finished)
  for (const SqlRow& r :
       SqlQuery("SELECT project, MAX(COALESCE(started_ms, created_ms)), MAX(finished_ms) "
                "FROM sync_runs WHERE status = 'success' AND kind <> 'refresh' GROUP BY project")
           .fetch(session, "tii")) {
    fresh[r.text(0)] = {r.i64(1), r.i64(2)};
  }
  for (const std::string& project : projects_) {
    const prometheus::Labels labels{{"project", project}};
    const auto l = latest[project];
    last_run_failed_.Add(labels).Set(l.second > l.first ? 1.0 : 0.0);
    const auto f = fresh.find(project);
    if (f == fresh.end()) {
      last_success_.Add(labels).Set(0);
      continue;
    }
    last_success_.Add(labels).Set(seconds(f->second.second));
    cache_age_.Add(labels).Set(seconds(std::max<int64_t>(0, now_ms - f->second.first)));
  }
  // Runs that finished before the exporter started are history, not news.
  observe_finished_since(std::max(started_ms_, observed_until_ms_ - kLookBackMs));
}

void RunMetrics::observe_finished_since(int64_t since_ms) {
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400};
  for (const SqlRow& r :
       SqlQuery("SELECT id, project, COALESCE(started_ms, created_ms), finished_ms "
                "FROM sync_runs WHERE status IN ('success', 'failed') AND finished_ms > ?")
           .arg(since_ms)
           .fetch(db_->session(), "ttii")) {
    const int64_t finished_ms = r.i64(3);
    if (!observed_.emplace(r.text(0), finished_ms).second) continue;
    duration_.Add({{"project", r.text(1)}}, kBuckets)
        .Observe(seconds(std::max<int64_t>(0, finished_ms - r.i64(2))));
    observed_until_ms_ = std::max(observed_until_ms_, finished_ms);
  }
  std::erase_if(observed_,
                [&](const auto& e) { return e.second <= observed_until_ms_ - kLookBackMs; });
}

}  // namespace jirasync
