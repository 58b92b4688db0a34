// The fetcher's loop when its database goes away: it waits for it with
// backoff instead of exiting, records the attempt once it is back, and stops
// at once when asked to meanwhile.
#include <gtest/gtest.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/store/database.hpp"
#include "services/fetcher/fetcher.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_jira_client.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"
#include "tests/fakes/fake_run_store.hpp"

namespace jirasync {
namespace {

// A RunStore whose server is down from `down_from_ms` until `down_until_ms`
// on the fake clock: every call throws what a lost connection throws.
class OutageRunStore final : public RunStore {
 public:
  explicit OutageRunStore(const FakeClock& clock) : clock_(clock) {}

  fakes::FakeRunStore inner;
  int64_t down_from_ms = 0;
  int64_t down_until_ms = 0;
  int failed_calls = 0;
  // Called on each failed call (a test may request a stop there).
  std::function<void()> on_failure;

  void go_down_for(int64_t ms) {
    down_from_ms = clock_.now_ms();
    down_until_ms = clock_.now_ms() + ms;
  }

  CreateResult create_run(const SyncRun& r) override { return inner.create_run(r); }
  std::optional<SyncRun> get_run(const std::string& id) override {
    check();
    return inner.get_run(id);
  }
  std::vector<SyncRun> list_runs(const std::string& p, int limit) override {
    check();
    return inner.list_runs(p, limit);
  }
  std::optional<SyncRun> active_run(const std::string& p) override {
    check();
    return inner.active_run(p);
  }
  void mark_running(const std::string& id, int64_t now, int64_t expected) override {
    check();
    inner.mark_running(id, now, expected);
  }
  void heartbeat(const std::string& id, int64_t now, const RunStats& s) override {
    check();
    inner.heartbeat(id, now, s);
  }
  void mark_fetch_complete(const std::string& id, int64_t emitted, int64_t max_updated,
                           const RunStats& s, int64_t now) override {
    check();
    inner.mark_fetch_complete(id, emitted, max_updated, s, now);
  }
  void mark_attempt_failed(const std::string& id, const std::string& reason, int64_t now,
                           std::optional<int64_t> next) override {
    check();
    inner.mark_attempt_failed(id, reason, now, next);
  }
  std::vector<SyncRun> runs_due_for_retry(int64_t now) override {
    check();
    return inner.runs_due_for_retry(now);
  }
  bool requeue(const std::string& id, int64_t now) override {
    check();
    return inner.requeue(id, now);
  }
  std::vector<SyncRun> stale_runs(int64_t now, int64_t lease) override {
    check();
    return inner.stale_runs(now, lease);
  }
  int64_t cursor_ms(const std::string& p) override {
    check();
    return inner.cursor_ms(p);
  }

 private:
  void check() {
    const int64_t now = clock_.now_ms();
    if (now < down_from_ms || now >= down_until_ms) return;
    ++failed_calls;
    if (on_failure) on_failure();
    throw DatabaseError("server closed the connection unexpectedly");
  }

  const FakeClock& clock_;
};

class FetcherOutageTest : public ::testing::Test {
 protected:
  FetcherOutageTest() : topics(config.kafka.topic_prefix), runs(clock) {
    config.jira.rate_per_s = 0;
  }

  void answer_one_page(const std::function<void()>& meanwhile = nullptr) {
    client.search_answers.push_back([meanwhile](const SearchRequest&) {
      if (meanwhile) meanwhile();
      SearchPage p;
      p.issues = {read_issue_text(
          R"({"id":"1","key":"P-1","fields":{"updated":"2025-01-02T10:30:00.000+0000"}})")};
      return p;
    });
  }
  void queue_job(const std::string& run_id) {
    SyncRun r;
    r.id = run_id;
    r.project = "P";
    r.status = RunStatus::kQueued;
    r.attempt = 1;
    runs.create_run(r);
    SyncJob j;
    j.run_id = run_id;
    j.project = "P";
    j.attempt = 1;
    bus.append(topics.jobs, "P", encode(j));
  }
  int64_t committed_jobs() {
    auto& c = bus.committed(consumer_group(config.kafka.topic_prefix, "fetcher"));
    int64_t total = 0;
    for (const auto& [tp, offset] : c) total += offset;
    return total;
  }

  Config config;
  Topics topics;
  FakeClock clock;
  fakes::FakeBus bus;
  OutageRunStore runs;
  fakes::FakeRateBucketStore buckets;
  fakes::FakeJiraClient client;
  prometheus::Registry registry;
  std::atomic<bool> stop{false};
};

TEST_F(FetcherOutageTest, DatabaseLostMidJobIsWaitedForAndTheAttemptRecordedWhenBack) {
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1");
  // The database goes away while Jira answers the first page: the heartbeat
  // after it, and the fetch's own attempt to record its failure, both fail.
  answer_one_page([&] { runs.go_down_for(20'000); });
  const int64_t start = clock.now_ms();

  ASSERT_NO_THROW(f.step(stop));

  EXPECT_GE(clock.now_ms(), start + 20'000) << "the fetcher did not wait for the database";
  const auto run = runs.inner.get_run("r1");
  ASSERT_TRUE(run);
  // A clear outcome once the database is back: this attempt failed and the
  // run waits for its retry (which the scheduler re-queues), its cause named.
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_NE(run->error.find("server closed the connection"), std::string::npos) << run->error;
  ASSERT_TRUE(run->next_attempt_ms);
  EXPECT_GT(*run->next_attempt_ms, clock.now_ms());
  EXPECT_EQ(committed_jobs(), 1);
}

TEST_F(FetcherOutageTest, DatabaseDownWhenAJobArrivesDelaysTheJobAndLosesNothing) {
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1");
  answer_one_page();
  runs.go_down_for(10'000);

  ASSERT_NO_THROW(f.step(stop));

  const auto run = runs.inner.get_run("r1");
  ASSERT_TRUE(run);
  EXPECT_TRUE(run->fetch_complete) << to_string(run->status) << " " << run->error;
  EXPECT_EQ(bus.records(topics.raw).size(), 1u);
  EXPECT_EQ(committed_jobs(), 1);
  EXPECT_GT(runs.failed_calls, 0);
}

TEST_F(FetcherOutageTest, StopRequestedWhileTheDatabaseIsDownEndsTheLoopAtOnce) {
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1");
  answer_one_page();
  runs.go_down_for(1'000'000'000);
  // SIGTERM after a few failed tries.
  runs.on_failure = [&] {
    if (runs.failed_calls == 3) stop = true;
  };
  const int64_t start = clock.now_ms();

  ASSERT_NO_THROW(f.run(stop));

  EXPECT_LT(clock.now_ms() - start, 10'000) << "the stop waited for the database";
  // The job stays uncommitted: it is delivered again to whichever fetcher runs next.
  EXPECT_EQ(committed_jobs(), 0);
}

}  // namespace
}  // namespace jirasync
