#include "services/scheduler/run_metrics.hpp"

#include <gtest/gtest.h>

#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_support.hpp"
#include "tests/support/metric_series.hpp"

namespace jirasync {
namespace {

constexpr int64_t kNow = 1'735'812'420'000;  // 2025-01-02T10:07:00Z

class RunMetricsTest : public ::testing::Test {
 protected:
  RunMetricsTest() {
    ProjectSettings p;
    p.key = "WRKA";
    p.cache_ttl_ms = 7200000;
    config.projects.push_back(p);
  }

  // A run row as a trigger would create it.
  std::string create(const std::string& project, const std::string& trigger,
                     JobKind kind = JobKind::kIncremental) {
    SyncRun run;
    run.id = "r" + std::to_string(++next_id_);
    run.project = project;
    run.kind = kind;
    run.trigger = trigger;
    run.created_ms = kNow;
    run.heartbeat_ms = kNow;
    EXPECT_TRUE(runs.create_run(run).created);
    return run.id;
  }
  void finish(const std::string& id, const char* status, int64_t started_ms, int64_t finished_ms) {
    auto lock = db.db()->lock();
    SqlQuery("UPDATE sync_runs SET status = ?, started_ms = ?, finished_ms = ? WHERE id = ?")
        .arg(status)
        .arg(started_ms)
        .arg(finished_ms)
        .arg(id)
        .execute(db.db()->session());
  }
  std::optional<double> value(const std::string& name,
                              const std::map<std::string, std::string>& labels) {
    return series_value(registry, name, labels);
  }

  testing::ScratchDatabase db{Backend::kSqlite};
  SqlRunStore runs{db.db()};
  Config config;
  prometheus::Registry registry;
  int next_id_ = 0;
};

TEST_F(RunMetricsTest, CountsEveryTriggerKindWhereverTheRunWasCreated) {
  RunMetrics metrics(db.db(), config, registry, kNow);
  create("WRKA", "manual");
  create("WRKB", "api");
  create("WRKC", "webhook", JobKind::kRefresh);
  create("WRKD", "cron");
  metrics.refresh(kNow);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKA"}, {"trigger", "manual"}}),
            1);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKB"}, {"trigger", "api"}}), 1);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKC"}, {"trigger", "webhook"}}),
            1);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKD"}, {"trigger", "cron"}}), 1);
  EXPECT_EQ(value("jirasync_runs_active", {{"project", "WRKA"}, {"status", "queued"}}), 1);

  // Counted once, however often it is read; a new run adds one.
  metrics.refresh(kNow + 1000);
  finish("r1", "success", kNow, kNow + 2000);
  create("WRKA", "manual");
  metrics.refresh(kNow + 3000);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKA"}, {"trigger", "manual"}}),
            2);
}

TEST_F(RunMetricsTest, CountsEveryAttemptAfterTheFirstAsARetry) {
  RunMetrics metrics(db.db(), config, registry, kNow);
  const auto id = create("WRKA", "cron");
  runs.mark_running(id, kNow, 0);
  runs.mark_attempt_failed(id, "Jira failed", kNow + 1000, kNow + 5000);
  metrics.refresh(kNow + 2000);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKA"}, {"trigger", "retry"}}), 0);
  EXPECT_EQ(value("jirasync_runs_active", {{"project", "WRKA"}, {"status", "retry_wait"}}), 1);
  ASSERT_TRUE(runs.requeue(id, kNow + 5000));
  metrics.refresh(kNow + 6000);
  EXPECT_EQ(value("jirasync_runs_triggered_total", {{"project", "WRKA"}, {"trigger", "retry"}}), 1);
  EXPECT_EQ(value("jirasync_runs_active", {{"project", "WRKA"}, {"status", "retry_wait"}}), 0);
}

TEST_F(RunMetricsTest, ASuccessSetsFreshnessAndDurationAndAFailureAfterItRaisesTheAlarm) {
  RunMetrics metrics(db.db(), config, registry, kNow);
  metrics.refresh(kNow);
  EXPECT_EQ(value("jirasync_project_last_success_timestamp_seconds", {{"project", "WRKA"}}), 0);
  EXPECT_FALSE(value("jirasync_project_cache_age_seconds", {{"project", "WRKA"}}));
  EXPECT_EQ(value("jirasync_project_cache_ttl_seconds", {{"project", "WRKA"}}), 7200);

  const auto ok = create("WRKA", "cron");
  finish(ok, "success", kNow + 1000, kNow + 61000);
  metrics.refresh(kNow + 100000);
  EXPECT_EQ(value("jirasync_project_last_success_timestamp_seconds", {{"project", "WRKA"}}),
            (kNow + 61000) / 1000.0);
  EXPECT_EQ(value("jirasync_project_cache_age_seconds", {{"project", "WRKA"}}), 99);
  EXPECT_EQ(value("jirasync_runs_finished_total", {{"project", "WRKA"}, {"status", "success"}}), 1);
  EXPECT_EQ(value("jirasync_run_duration_seconds", {{"project", "WRKA"}}), 1);
  EXPECT_EQ(value("jirasync_project_last_run_failed", {{"project", "WRKA"}}), 0);

  // A refresh of single keys does not make the cache fresh.
  const auto refresh = create("WRKA", "webhook", JobKind::kRefresh);
  finish(refresh, "success", kNow + 200000, kNow + 201000);
  const auto bad = create("WRKA", "cron");
  finish(bad, "failed", kNow + 300000, kNow + 310000);
  metrics.refresh(kNow + 400000);
  EXPECT_EQ(value("jirasync_project_cache_age_seconds", {{"project", "WRKA"}}), 399);
  EXPECT_EQ(value("jirasync_project_last_run_failed", {{"project", "WRKA"}}), 1);
  EXPECT_EQ(value("jirasync_runs_finished_total", {{"project", "WRKA"}, {"status", "failed"}}), 1);
  EXPECT_EQ(value("jirasync_run_duration_seconds", {{"project", "WRKA"}}), 3)
      << "each finished run is observed once";
  metrics.refresh(kNow + 500000);
  EXPECT_EQ(value("jirasync_run_duration_seconds", {{"project", "WRKA"}}), 3);
}

TEST_F(RunMetricsTest, RunsFinishedBeforeTheExporterStartedAreNotObservedAgain) {
  const auto old = create("WRKA", "cron");
  finish(old, "success", kNow - 600000, kNow - 500000);
  RunMetrics metrics(db.db(), config, registry, kNow);
  metrics.refresh(kNow);
  EXPECT_FALSE(value("jirasync_run_duration_seconds", {{"project", "WRKA"}}));
  EXPECT_EQ(value("jirasync_runs_finished_total", {{"project", "WRKA"}, {"status", "success"}}), 1);
}

}  // namespace
}  // namespace jirasync
