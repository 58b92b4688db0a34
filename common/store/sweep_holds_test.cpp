// The sweep safety stop over SQL: a held deletion is recorded, deletes
// nothing, and `release_sweep_hold` applies it later (minus what a later sync
// saw again).
#include "common/store/sweep_holds.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using testing::issue;
using testing::queued_run;
using testing::snapshot;
using testing::StoreTest;
using testing::sweep_chunk;
using testing::sweep_end;

constexpr int64_t kNow = 1'700'000'000'000;

class SweepHoldTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    sink = std::make_unique<SqlDecisionSink>(db(), 0.5);
    runs = std::make_unique<SqlRunStore>(db());
    start_run("r1");
    std::vector<Decision> seed;
    for (const char* id : {"1", "2", "3", "4"}) {
      JiraIssue i = issue(id, std::string("WRKA-") + id, 5'000);
      i.created_ms = 1'000;
      seed.push_back(snapshot("r1", i));
    }
    sink->apply(seed, "writer", {}, kNow);
    runs->mark_attempt_failed("r1", "done with it", kNow, std::nullopt);
    start_run("sweep");
  }
  void start_run(const std::string& id) {
    runs->create_run(queued_run(id, "WRKA", kNow));
    runs->mark_running(id, kNow, -1);
  }
  int64_t live() {
    auto lock = db()->lock();
    return SqlQuery("SELECT COUNT(*) FROM tickets WHERE project = 'WRKA' AND deleted = 0")
        .fetch_one(db()->session(), "i")
        ->i64(0);
  }
  std::unique_ptr<SqlDecisionSink> sink;
  std::unique_ptr<SqlRunStore> runs;
};

TEST_P(SweepHoldTest, AMassDeletionIsHeldThenReleased) {
  // The sweep lists only 1: 3 of 4 would go.
  sink->apply({sweep_chunk("sweep", 0, {"1"}), sweep_end("sweep", 1, 10'000)}, "writer", {},
              kNow + 10);
  EXPECT_EQ(live(), 4);
  EXPECT_THAT(runs->get_run("sweep")->error, HasSubstr("sweep held: it would delete 3 of 4"));
  auto holds = list_sweep_holds(*db(), true);
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds[0].hold.project, "WRKA");
  EXPECT_EQ(holds[0].hold.would_delete, 3);
  EXPECT_EQ(holds[0].status, "held");

  // A later sync sees 4 again: releasing must not delete it.
  runs->mark_attempt_failed("sweep", "done with it", kNow, std::nullopt);
  start_run("later");
  JiraIssue again = issue("4", "WRKA-4", 6'000);
  again.created_ms = 1'000;
  sink->apply({snapshot("later", again)}, "writer", {}, kNow + 20);

  const auto gone = release_sweep_hold(*db(), "WRKA", kNow + 30);
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(*gone, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(live(), 2);
  EXPECT_TRUE(list_sweep_holds(*db(), true).empty());
  EXPECT_EQ(list_sweep_holds(*db(), false)[0].status, "released");
  EXPECT_FALSE(release_sweep_hold(*db(), "WRKA", kNow + 40).has_value());
}

TEST_P(SweepHoldTest, ASmallDeletionIsNotHeld) {
  sink->apply({sweep_chunk("sweep", 0, {"1", "2", "3"}), sweep_end("sweep", 1, 10'000)}, "writer",
              {}, kNow + 10);
  EXPECT_EQ(live(), 3);
  EXPECT_TRUE(list_sweep_holds(*db(), false).empty());
}

TEST_P(SweepHoldTest, ANewerHoldSupersedesTheOlder) {
  sink->apply({sweep_chunk("sweep", 0, {"1"}), sweep_end("sweep", 1, 10'000)}, "writer", {},
              kNow + 10);
  runs->mark_attempt_failed("sweep", "done", kNow, std::nullopt);
  start_run("sweep2");
  sink->apply({sweep_chunk("sweep2", 0, {}), sweep_end("sweep2", 1, 10'000)}, "writer", {},
              kNow + 20);
  const auto all = list_sweep_holds(*db(), false);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].hold.run_id, "sweep2");
  EXPECT_EQ(all[0].status, "held");
  EXPECT_EQ(all[1].status, "superseded");
}

INSTANTIATE_TEST_SUITE_P(Backends, SweepHoldTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
