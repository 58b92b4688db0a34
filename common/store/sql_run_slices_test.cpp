#include "common/store/sql_run_slices.hpp"

#include <gtest/gtest.h>

#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::plain;
using testing::queued_run;
using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlRunSlicesTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    runs = std::make_unique<SqlRunStore>(db());
    slices = std::make_unique<SqlRunSlices>(db());
    tickets = std::make_unique<SqlDecisionSink>(db());
    runs->create_run(queued_run("r1", "WRKA", kNow));
    runs->mark_running("r1", kNow, 0);
  }
  void apply_items(int from, int n, int64_t now_ms = kNow) {
    std::vector<Decision> batch;
    for (int i = from; i < from + n; ++i) {
      batch.push_back(plain("r1", DecisionKind::kSkip, std::to_string(i)));
    }
    tickets->apply(batch, "writer", {}, now_ms);
  }
  static SliceOutcome outcome(int64_t emitted, int64_t max_updated_ms, int64_t calls = 1) {
    return {emitted, emitted, calls, max_updated_ms, ""};
  }
  std::unique_ptr<SqlRunStore> runs;
  std::unique_ptr<SqlRunSlices> slices;
  std::unique_ptr<SqlDecisionSink> tickets;
};

TEST_P(SqlRunSlicesTest, TheRunEndsWhenEverySliceIsFetchedAndApplied) {
  slices->open("r1", "L1", kNow);
  EXPECT_TRUE(slices->wanted("r1", 1, "L1", 0));
  EXPECT_TRUE(slices->complete("r1", "L1", 0, outcome(2, 5'000), kNow + 1));
  EXPECT_FALSE(slices->wanted("r1", 1, "L1", 0));  // recorded: a redelivery skips it
  EXPECT_TRUE(slices->wanted("r1", 1, "L1", 1));
  slices->close("r1", "L1", 2, 8'000);
  runs->mark_fetch_complete("r1", 1, 0, {}, kNow + 2);  // the owner's sweep end marker
  apply_items(0, 3);
  auto run = runs->get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kRunning) << "slice 1 is not fetched yet";
  EXPECT_EQ(run->emitted, 3);
  EXPECT_EQ(run->slices_done, 1);
  EXPECT_EQ(run->slices_total, 2);

  EXPECT_TRUE(slices->complete("r1", "L1", 1, outcome(2, 9'000), kNow + 3));
  EXPECT_FALSE(slices->complete("r1", "L1", 1, outcome(2, 9'000), kNow + 4)) << "counted twice";
  run = runs->get_run("r1");
  EXPECT_EQ(run->emitted, 5);
  EXPECT_EQ(run->status, RunStatus::kRunning) << "two items still to apply";
  apply_items(3, 2, kNow + 5);
  run = runs->get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kSuccess);
  EXPECT_EQ(run->stats.api_calls, 2);
  EXPECT_EQ(run->stats.fetched, 4);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 8'000) << "capped at the listing's end";
}

TEST_P(SqlRunSlicesTest, TheLastSliceFinalisesARunAlreadyApplied) {
  slices->open("r1", "L1", kNow);
  slices->close("r1", "L1", 1, 90'000);
  runs->mark_fetch_complete("r1", 0, 0, {}, kNow + 1);
  EXPECT_EQ(runs->get_run("r1")->status, RunStatus::kRunning);
  apply_items(0, 2);
  EXPECT_EQ(runs->get_run("r1")->status, RunStatus::kRunning);
  EXPECT_TRUE(slices->complete("r1", "L1", 0, outcome(2, 7'000), kNow + 2));
  auto run = runs->get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kSuccess);
  EXPECT_EQ(run->finished_ms, kNow + 2);
  EXPECT_EQ(runs->cursor_ms("WRKA"), 7'000);
}

TEST_P(SqlRunSlicesTest, ANewListingDropsWhatAnEarlierOneRecorded) {
  slices->open("r1", "L1", kNow);
  EXPECT_TRUE(slices->complete("r1", "L1", 0, outcome(2, 5'000), kNow + 1));
  // The owner crashed; the job came again and lists anew.
  slices->open("r1", "L2", kNow + 2);
  EXPECT_FALSE(slices->wanted("r1", 1, "L1", 1));
  EXPECT_FALSE(slices->complete("r1", "L1", 1, outcome(2, 5'000), kNow + 3));
  EXPECT_TRUE(slices->wanted("r1", 1, "L2", 0));
  EXPECT_FALSE(slices->wanted("r1", 2, "L2", 0)) << "another attempt's slice";
  auto run = runs->get_run("r1");
  EXPECT_EQ(run->emitted, 0);
  EXPECT_EQ(run->slices_done, 0);
  EXPECT_FALSE(run->fetch_complete);
}

TEST_P(SqlRunSlicesTest, AFailedAttemptStopsItsSlicesAndARequeueForgetsThem) {
  slices->open("r1", "L1", kNow);
  EXPECT_TRUE(slices->complete("r1", "L1", 0, outcome(2, 5'000, 3), kNow + 1));
  runs->mark_attempt_failed("r1", "slice 1: bulk fetch failed", kNow + 2, kNow + 10);
  EXPECT_FALSE(slices->wanted("r1", 1, "L1", 1));
  EXPECT_FALSE(slices->complete("r1", "L1", 1, outcome(2, 5'000), kNow + 3));
  ASSERT_TRUE(runs->requeue("r1", kNow + 10));
  auto run = runs->get_run("r1");
  EXPECT_EQ(run->emitted, 0);
  EXPECT_EQ(run->slices_done, 0);
  EXPECT_EQ(run->stats.api_calls, 3) << "requests add up over attempts";
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlRunSlicesTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
