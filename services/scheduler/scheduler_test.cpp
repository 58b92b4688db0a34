#include "services/scheduler/scheduler.hpp"

#include <gtest/gtest.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/fakes/fake_webhook_inbox.hpp"
#include "tests/support/metric_value.hpp"

namespace jirasync {
namespace {

// 2025-01-02T10:07:00Z
constexpr int64_t kStart = 1'735'812'420'000;

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() {
    config.projects.push_back({"WRKA", "JIRA_WINS", {}, "*/30 * * * *", "0 6 * * *"});
    config.max_run_attempts = 3;
    config.run_lease_ms = 60000;
  }
  std::vector<SyncJob> jobs() {
    std::vector<SyncJob> out;
    for (const auto& m : bus.records(topic_name(config.kafka.topic_prefix, Topic::kJobs)))
      out.push_back(decode_sync_job(m.value));
    return out;
  }

  Config config;
  FakeClock clock{kStart};
  fakes::FakeBus bus;
  fakes::FakeRunStore runs;
  prometheus::Registry registry;
};

TEST_F(SchedulerTest, CronFiresIncrementalOnScheduleAndNotBefore) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  EXPECT_EQ(s.tick(), 0);
  clock.set_ms(kStart + 23 * 60 * 1000);  // 10:30Z
  EXPECT_EQ(s.tick(), 1);
  auto j = jobs();
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0].project, "WRKA");
  EXPECT_EQ(j[0].kind, JobKind::kIncremental);
  EXPECT_EQ(metric_value(registry, "jirasync_scheduler_events_total"), 1);
}

TEST_F(SchedulerTest, SecondTriggerWhileARunIsActiveIsReportedNotQueued) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto first = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual");
  auto second = s.trigger().trigger("WRKA", JobKind::kIncremental, {}, "manual");
  EXPECT_TRUE(first.started);
  EXPECT_FALSE(second.started);
  EXPECT_EQ(second.run.id, first.run.id);
  EXPECT_EQ(jobs().size(), 1u);
}

TEST_F(SchedulerTest, JobCarriesTheProjectCursor) {
  runs.set_cursor("WRKA", 1'700'000'000'123);
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  s.trigger().trigger("WRKA", JobKind::kIncremental, {}, "manual");
  EXPECT_EQ(jobs().at(0).since_ms, 1'700'000'000'123);
}

TEST_F(SchedulerTest, FailedAttemptIsRetriedWhenDueWithTheNextAttemptNumber) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  runs.mark_attempt_failed(r.id, "HTTP 503", clock.now_ms(), clock.now_ms() + 5000);
  EXPECT_EQ(s.tick(), 0);  // not due yet
  clock.advance_ms(5000);
  EXPECT_EQ(s.tick(), 1);
  auto j = jobs();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1].run_id, r.id);
  EXPECT_EQ(j[1].attempt, 2);
  EXPECT_EQ(runs.get_run(r.id)->status, RunStatus::kQueued);
}

TEST_F(SchedulerTest, RunWithoutHeartbeatLosesItsLeaseAndIsRetriedAfterTheBackoff) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  clock.advance_ms(config.run_lease_ms + 1);
  EXPECT_EQ(s.tick(), 0);  // the attempt fails; its retry waits like any other
  auto run = runs.get_run(r.id);
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_EQ(run->attempt, 1);
  EXPECT_EQ(run->next_attempt_ms, clock.now_ms() + 5000);
  EXPECT_NE(run->error.find("lease expired (no heartbeat for 60001 ms)"), std::string::npos)
      << run->error;
  clock.advance_ms(5000);
  EXPECT_EQ(s.tick(), 1);
  EXPECT_EQ(runs.get_run(r.id)->attempt, 2);
  EXPECT_EQ(jobs().size(), 2u);
}

// Kafka killed for longer than a lease: slices and jobs wait on its topics,
// so nothing heartbeats. The lease runs again only from the broker's return.
TEST_F(SchedulerTest, ALeaseRunsOnlyWhileTheBrokerAnswersAndStartsOverAtItsReturn) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  std::optional<int64_t> broker_since = kStart - 1000;
  s.watch_broker([&] { return broker_since; });
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  clock.advance_ms(10'000);
  broker_since = std::nullopt;  // the broker goes away
  clock.advance_ms(config.run_lease_ms);
  s.tick();
  EXPECT_EQ(runs.get_run(r.id)->status, RunStatus::kRunning);
  clock.advance_ms(config.run_lease_ms);
  broker_since = clock.now_ms();  // back
  s.tick();
  clock.advance_ms(config.run_lease_ms - 1);
  s.tick();
  EXPECT_EQ(runs.get_run(r.id)->status, RunStatus::kRunning);
  clock.advance_ms(1);
  s.tick();
  const auto run = runs.get_run(r.id);
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_NE(run->error.find("lease expired (no heartbeat for 190000 ms)"), std::string::npos)
      << run->error;
}

// Issue 15.4: a broker outage longer than a lease used every attempt at once,
// and the run said "lease expired" instead of why.
TEST_F(SchedulerTest, LeaseExpiriesBackOffAndKeepTheLastRealCause) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  runs.mark_attempt_failed(r.id, "Kafka flush timed out: broker down", clock.now_ms(),
                           clock.now_ms() + 5000);
  clock.advance_ms(5000);
  ASSERT_EQ(s.tick(), 1);  // attempt 2 queued; its job never reaches a fetcher
  clock.advance_ms(config.run_lease_ms + 1);
  EXPECT_EQ(s.tick(), 0);
  auto run = runs.get_run(r.id);
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_EQ(run->next_attempt_ms, clock.now_ms() + 10000);  // 5 s doubled for attempt 2
  EXPECT_EQ(run->error,
            "lease expired (no heartbeat for 60001 ms); last error: Kafka flush timed out: "
            "broker down");
  clock.advance_ms(9999);
  EXPECT_EQ(s.tick(), 0);
  clock.advance_ms(1);
  ASSERT_EQ(s.tick(), 1);  // attempt 3, which also expires: the run fails for good
  clock.advance_ms(config.run_lease_ms + 1);
  s.tick();
  run = runs.get_run(r.id);
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_EQ(run->attempt, 3);
  // The cause is carried once, not wrapped in every lease message.
  EXPECT_EQ(run->error,
            "lease expired (no heartbeat for 60001 ms); last error: Kafka flush timed out: "
            "broker down");
}

TEST_F(SchedulerTest, RetryStepRetriesWithoutFiringCron) {
  config.projects.push_back({"WMB", "JIRA_WINS", {}, "*/30 * * * *", ""});
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  runs.mark_attempt_failed(r.id, "HTTP 503", clock.now_ms(), clock.now_ms() + 5000);
  clock.set_ms(kStart + 23 * 60 * 1000);  // 10:30Z: cron is due too
  EXPECT_EQ(s.retry_step(), 1);
  auto j = jobs();
  ASSERT_EQ(j.size(), 2u);  // WMB's cron is due but not this step's business
  EXPECT_EQ(j[1].run_id, r.id);
  EXPECT_EQ(j[1].attempt, 2);
}

TEST_F(SchedulerTest, RetryRequeuedByAnotherSchedulerIsNotSentTwice) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  runs.mark_attempt_failed(r.id, "HTTP 503", clock.now_ms(), clock.now_ms() + 5000);
  clock.advance_ms(5000);
  // The other scheduler requeues (and sends) it between our look-up and ours.
  runs.before_requeue = [&] { runs.requeue(r.id, clock.now_ms()); };
  EXPECT_EQ(s.tick(), 0);
  EXPECT_EQ(jobs().size(), 1u);  // only the first attempt's job from this scheduler
  EXPECT_EQ(runs.get_run(r.id)->attempt, 2);
}

TEST_F(SchedulerTest, LastAttemptFailsTheRunForGood) {
  config.max_run_attempts = 1;
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  auto r = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual").run;
  runs.mark_running(r.id, clock.now_ms(), 10);
  clock.advance_ms(config.run_lease_ms + 1);
  s.tick();
  EXPECT_EQ(runs.get_run(r.id)->status, RunStatus::kFailed);
  EXPECT_EQ(jobs().size(), 1u);
}

TEST_F(SchedulerTest, TickTurnsQueuedWebhookKeysIntoOneRefreshOnceTheProjectIsFree) {
  Scheduler s(SchedulerSettings::from(config), bus, runs, clock, registry);
  fakes::FakeWebhookInbox inbox;
  WebhookRefreshes refreshes(inbox, runs, s.trigger(), clock);
  s.drain_webhooks_with(refreshes);
  auto full = s.trigger().trigger("WRKA", JobKind::kFull, {}, "manual");
  inbox.accept("d1", "WRKA", "WRKA-1", clock.now_ms());
  inbox.accept("d2", "WRKA", "WRKA-2", clock.now_ms());
  EXPECT_EQ(s.tick(), 0);
  runs.mark_running(full.run.id, clock.now_ms(), 0);
  runs.mark_fetch_complete(full.run.id, 0, 0, {}, clock.now_ms());
  EXPECT_EQ(s.tick(), 1);
  const auto j = jobs();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1].kind, JobKind::kRefresh);
  EXPECT_EQ(j[1].keys, (std::vector<std::string>{"WRKA-1", "WRKA-2"}));
  EXPECT_EQ(metric_value(registry, "jirasync_scheduler_events_total"), 1);
}

}  // namespace
}  // namespace jirasync
