#include "common/store/sql_run_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/store/sql_decision_sink.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::plain;
using testing::queued_run;
using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlRunStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    runs = std::make_unique<SqlRunStore>(db());
    tickets = std::make_unique<SqlDecisionSink>(db());
  }
  // The writer side: applies `n` skip decisions (items) for a run.
  void apply_items(const std::string& run_id, int from, int n, int64_t now_ms = kNow) {
    std::vector<Decision> batch;
    for (int i = from; i < from + n; ++i) {
      batch.push_back(plain(run_id, DecisionKind::kSkip, std::to_string(i)));
    }
    tickets->apply(batch, "writer", {}, now_ms);
  }
  std::unique_ptr<SqlRunStore> runs;
  std::unique_ptr<SqlDecisionSink> tickets;
};

TEST_P(SqlRunStoreTest, CreateRoundTripsEveryField) {
  SyncRun run = queued_run("r1", "WRKA", kNow, JobKind::kRefresh);
  run.keys = {"WRKA-1", "WRKA-2"};
  run.since_ms = 1234;
  run.expected_total = 7;
  auto created = runs->create_run(run);
  ASSERT_TRUE(created.created);
  auto got = runs->get_run("r1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->project, "WRKA");
  EXPECT_EQ(got->kind, JobKind::kRefresh);
  EXPECT_EQ(got->keys, run.keys);
  EXPECT_EQ(got->trigger, "manual");
  EXPECT_EQ(got->status, RunStatus::kQueued);
  EXPECT_EQ(got->attempt, 1);
  EXPECT_EQ(got->since_ms, 1234);
  EXPECT_EQ(got->created_ms, kNow);
  EXPECT_EQ(got->heartbeat_ms, kNow);
  EXPECT_EQ(got->expected_total, 7);
  EXPECT_FALSE(got->started_ms);
  EXPECT_FALSE(runs->get_run("nope"));
}

TEST_P(SqlRunStoreTest, SecondRunForTheSameProjectIsRefusedUntilTheFirstFinishes) {
  ASSERT_TRUE(runs->create_run(queued_run("r1", "WRKA", kNow)).created);
  auto second = runs->create_run(queued_run("r2", "WRKA", kNow + 1));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.run.id, "r1");
  EXPECT_FALSE(runs->get_run("r2"));
  EXPECT_TRUE(runs->create_run(queued_run("r3", "OTHER", kNow)).created);

  runs->mark_running("r1", kNow + 10, -1);
  EXPECT_FALSE(runs->create_run(queued_run("r2", "WRKA", kNow + 11)).created);
  runs->mark_attempt_failed("r1", "boom", kNow + 12, std::nullopt);
  auto third = runs->create_run(queued_run("r2", "WRKA", kNow + 13));
  EXPECT_TRUE(third.created);
  EXPECT_EQ(third.run.id, "r2");
  ASSERT_TRUE(runs->active_run("WRKA"));
  EXPECT_EQ(runs->active_run("WRKA")->id, "r2");
  const auto listed = runs->list_runs("WRKA", 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "r2");  // newest first
}

TEST_P(SqlRunStoreTest, RacingCreatorsOnTwoConnectionsGetExactlyOneRun) {
  auto other_db = scratch_->open_another();
  SqlRunStore other(other_db);
  for (int round = 0; round < 10; ++round) {
    const std::string project = "P" + std::to_string(round);
    std::atomic<int> ready{0};
    RunStore::CreateResult a, b;
    auto race = [&](RunStore& store, const std::string& id, RunStore::CreateResult& out) {
      ++ready;
      while (ready.load() < 2) {
      }
      out = store.create_run(queued_run(id, project, kNow));
    };
    std::thread ta(race, std::ref(*runs), project + "-a", std::ref(a));
    std::thread tb(race, std::ref(other), project + "-b", std::ref(b));
    ta.join();
    tb.join();
    EXPECT_EQ(int(a.created) + int(b.created), 1) << project;
    EXPECT_EQ(a.run.id, b.run.id) << project;
  }
}

TEST_P(SqlRunStoreTest, RetryCycle) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow + 1, 50);
  runs->mark_attempt_failed("r1", "HTTP 503 from Jira", kNow + 2, kNow + 1000);
  auto waiting = runs->get_run("r1");
  EXPECT_EQ(waiting->status, RunStatus::kRetryWait);
  EXPECT_EQ(waiting->error, "HTTP 503 from Jira");
  EXPECT_TRUE(runs->runs_due_for_retry(kNow + 999).empty());
  auto due = runs->runs_due_for_retry(kNow + 1000);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, "r1");
  // Still holds the lease while waiting.
  EXPECT_FALSE(runs->create_run(queued_run("r2", "WRKA", kNow + 3)).created);

  EXPECT_TRUE(runs->requeue("r1", kNow + 1000));
  auto again = runs->get_run("r1");
  EXPECT_EQ(again->status, RunStatus::kQueued);
  EXPECT_EQ(again->attempt, 2);
  EXPECT_FALSE(again->next_attempt_ms);
  // Not waiting any more (another scheduler was first): ignored, and said so.
  EXPECT_FALSE(runs->requeue("r1", kNow + 1001));
  EXPECT_EQ(runs->get_run("r1")->attempt, 2);

  runs->mark_running("r1", kNow + 1002, 50);
  runs->mark_attempt_failed("r1", "gave up after 2 tries", kNow + 1003, std::nullopt);
  auto failed = runs->get_run("r1");
  EXPECT_EQ(failed->status, RunStatus::kFailed);
  EXPECT_EQ(failed->finished_ms, kNow + 1003);
  EXPECT_EQ(failed->started_ms, kNow + 1);  // the first start is kept
  EXPECT_TRUE(runs->runs_due_for_retry(kNow + 5000).empty());
}

TEST_P(SqlRunStoreTest, EarlierAttemptsErrorStaysUntilTheNextAttemptStartsThenGoes) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow + 1, 0);
  runs->mark_attempt_failed("r1", "HTTP 503 from Jira", kNow + 2, kNow + 1000);
  runs->requeue("r1", kNow + 1000);
  // Queued again: the last cause is still there, for a lease that expires
  // before any fetcher takes the job.
  EXPECT_EQ(runs->get_run("r1")->error, "HTTP 503 from Jira");
  runs->mark_running("r1", kNow + 1001, 0);
  EXPECT_EQ(runs->get_run("r1")->error, "");
  runs->mark_fetch_complete("r1", 0, 100, {}, kNow + 1002);
  auto done = runs->get_run("r1");
  EXPECT_EQ(done->status, RunStatus::kSuccess);
  EXPECT_EQ(done->error, "");
}

TEST_P(SqlRunStoreTest, RunThatFailsBeforeAnyFetcherTookItIsTimedFromItsCreation) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_attempt_failed("r1", "lease expired", kNow + 5000, std::nullopt);
  auto failed = runs->get_run("r1");
  EXPECT_EQ(failed->started_ms, kNow);
  EXPECT_EQ(failed->finished_ms, kNow + 5000);
}

TEST_P(SqlRunStoreTest, StaleRunsAreThoseWithoutARecentHeartbeat) {
  runs->create_run(queued_run("r1", "A", kNow));
  runs->create_run(queued_run("r2", "B", kNow));
  runs->mark_running("r1", kNow, -1);
  runs->mark_running("r2", kNow, -1);
  RunStats fetch;
  fetch.api_calls = 3;
  fetch.pages = 2;
  fetch.fetched = 120;
  runs->heartbeat("r2", kNow + 50'000, fetch);
  auto stale = runs->stale_runs(kNow + 60'000, 30'000);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].id, "r1");
  auto r2 = runs->get_run("r2");
  EXPECT_EQ(r2->stats.api_calls, 3);
  EXPECT_EQ(r2->stats.fetched, 120);
}

TEST_P(SqlRunStoreTest, FetchCompleteFirstThenWriterFinishesTheRun) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow, 3);
  apply_items("r1", 0, 2);
  runs->mark_fetch_complete("r1", 3, 5'000, {}, kNow + 10);
  auto pending = runs->get_run("r1");
  EXPECT_EQ(pending->status, RunStatus::kRunning);
  EXPECT_TRUE(pending->fetch_complete);
  EXPECT_EQ(pending->applied, 2);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 0);

  apply_items("r1", 2, 1, kNow + 20);
  auto done = runs->get_run("r1");
  EXPECT_EQ(done->status, RunStatus::kSuccess);
  EXPECT_EQ(done->finished_ms, kNow + 20);
  EXPECT_EQ(done->stats.unchanged, 3);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 5'000);
}

TEST_P(SqlRunStoreTest, WriterFirstThenFetchCompleteFinishesTheRun) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow, 3);
  apply_items("r1", 0, 3);
  EXPECT_EQ(runs->get_run("r1")->status, RunStatus::kRunning);  // fetch not done yet
  runs->mark_fetch_complete("r1", 3, 7'000, {}, kNow + 10);
  auto done = runs->get_run("r1");
  EXPECT_EQ(done->status, RunStatus::kSuccess);
  EXPECT_EQ(done->finished_ms, kNow + 10);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 7'000);
}

TEST_P(SqlRunStoreTest, CursorNeverMovesBackAndRefreshRunsDoNotMoveIt) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow, 0);
  runs->mark_fetch_complete("r1", 0, 9'000, {}, kNow);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 9'000);

  runs->create_run(queued_run("r2", "WRKA", kNow + 1));
  runs->mark_running("r2", kNow + 1, 0);
  runs->mark_fetch_complete("r2", 0, 4'000, {}, kNow + 2);
  EXPECT_EQ(runs->get_run("r2")->status, RunStatus::kSuccess);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 9'000);

  runs->create_run(queued_run("r3", "WRKA", kNow + 3, JobKind::kRefresh));
  runs->mark_running("r3", kNow + 3, 0);
  runs->mark_fetch_complete("r3", 0, 99'000, {}, kNow + 4);
  EXPECT_EQ(runs->get_run("r3")->status, RunStatus::kSuccess);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 9'000);
}

TEST_P(SqlRunStoreTest, RequeueCountsTheNextAttemptAfresh) {
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_running("r1", kNow, 2);
  apply_items("r1", 0, 2);
  runs->mark_attempt_failed("r1", "timeout", kNow + 1, kNow + 2);
  runs->requeue("r1", kNow + 2);
  runs->mark_running("r1", kNow + 3, 2);
  apply_items("r1", 0, 1);  // the same items again, in the new attempt
  runs->mark_fetch_complete("r1", 2, 100, {}, kNow + 4);
  EXPECT_EQ(runs->get_run("r1")->status, RunStatus::kRunning);
  apply_items("r1", 1, 1);
  auto done = runs->get_run("r1");
  EXPECT_EQ(done->status, RunStatus::kSuccess);
  EXPECT_EQ(done->applied, 2);
  EXPECT_EQ(done->stats.unchanged, 4);  // stats add up across attempts
}

TEST_P(SqlRunStoreTest, UnknownRunIdsAndBadInputAreErrors) {
  EXPECT_THROW(runs->mark_running("ghost", kNow, -1), std::invalid_argument);
  EXPECT_THROW(runs->heartbeat("ghost", kNow, {}), std::invalid_argument);
  EXPECT_THROW(runs->mark_fetch_complete("ghost", 1, 1, {}, kNow), std::invalid_argument);
  EXPECT_THROW(runs->mark_attempt_failed("ghost", "x", kNow, std::nullopt), std::invalid_argument);
  EXPECT_THROW(runs->requeue("ghost", kNow), std::invalid_argument);
  EXPECT_THROW(runs->create_run(queued_run("", "WRKA", kNow)), std::invalid_argument);
  EXPECT_THROW(runs->create_run(queued_run("r", "", kNow)), std::invalid_argument);
  EXPECT_THROW(runs->list_runs("WRKA", 0), std::invalid_argument);
  // A late heartbeat on a finished run is ignored, not an error.
  runs->create_run(queued_run("r1", "WRKA", kNow));
  runs->mark_attempt_failed("r1", "x", kNow, std::nullopt);
  EXPECT_NO_THROW(runs->heartbeat("r1", kNow + 1, {}));
  EXPECT_EQ(runs->get_run("r1")->status, RunStatus::kFailed);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlRunStoreTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
