#include "common/store/sql_ticket_freshness.hpp"

#include <gtest/gtest.h>

#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::queued_run;
using testing::snapshot;
using testing::StoreTest;

constexpr int64_t kT0 = 1'700'000'000'000;

class SqlTicketFreshnessTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<testing::SqlTicketTables>(db());
    runs = std::make_unique<SqlRunStore>(db());
    fresh = std::make_unique<SqlTicketFreshness>(db());
    runs->create_run(queued_run("r1", "WRKA", kT0, JobKind::kRefresh));
    runs->mark_running("r1", kT0, -1);
    store->apply(
        {snapshot("r1", issue("1", "WRKA-1", 5'000)), snapshot("r1", issue("2", "WRKA-2", 5'000))},
        "writer", {}, kT0);
  }
  std::unique_ptr<testing::SqlTicketTables> store;
  std::unique_ptr<SqlRunStore> runs;
  std::unique_ptr<SqlTicketFreshness> fresh;
};

TEST_P(SqlTicketFreshnessTest, AgeIsTheLastWriteOrCheck) {
  auto ages = fresh->ages({"1", "2", "404"});
  ASSERT_EQ(ages.size(), 2u);
  EXPECT_EQ(ages.at("1").synced_ms, kT0);
  EXPECT_EQ(ages.at("1").project, "WRKA");
  fresh->mark_checked({"1"}, kT0 + 50);
  fresh->mark_checked({"1"}, kT0 + 20);  // an older check never moves it back
  ages = fresh->ages({"1", "2"});
  EXPECT_EQ(ages.at("1").synced_ms, kT0 + 50);
  EXPECT_EQ(ages.at("2").synced_ms, kT0);
}

TEST_P(SqlTicketFreshnessTest, ASuccessfulSyncOfTheProjectVouchesForEveryTicket) {
  runs->mark_fetch_complete("r1", 2, 0, {}, kT0 + 1);
  ASSERT_EQ(runs->get_run("r1")->status, RunStatus::kSuccess);
  EXPECT_EQ(fresh->ages({"2"}).at("2").synced_ms, kT0)
      << "a refresh of two keys vouches for no other";
  runs->create_run(queued_run("inc", "WRKA", kT0 + 100));
  runs->mark_running("inc", kT0 + 100, 0);
  EXPECT_EQ(fresh->ages({"2"}).at("2").synced_ms, kT0) << "a running sync vouches for nothing";
  runs->mark_fetch_complete("inc", 0, 0, {}, kT0 + 110);
  ASSERT_EQ(runs->get_run("inc")->status, RunStatus::kSuccess);
  EXPECT_EQ(fresh->ages({"2"}).at("2").synced_ms, kT0 + 100);
}

TEST_P(SqlTicketFreshnessTest, EachProjectIsVouchedForByItsOwnSyncsOnly) {
  runs->create_run(queued_run("b1", "WRKB", kT0 + 10, JobKind::kRefresh));
  runs->mark_running("b1", kT0 + 10, -1);
  store->apply({snapshot("b1", issue("3", "WRKB-1", 5'000))}, "writer", {}, kT0 + 10);
  runs->mark_fetch_complete("b1", 1, 0, {}, kT0 + 11);
  runs->create_run(queued_run("full", "WRKB", kT0 + 300));
  runs->mark_running("full", kT0 + 300, 0);
  runs->mark_fetch_complete("full", 0, 0, {}, kT0 + 310);
  ASSERT_EQ(runs->get_run("full")->status, RunStatus::kSuccess);
  const auto ages = fresh->ages({"1", "3", "2"});
  ASSERT_EQ(ages.size(), 3u);
  EXPECT_EQ(ages.at("3").project, "WRKB");
  EXPECT_EQ(ages.at("3").synced_ms, kT0 + 300);
  EXPECT_EQ(ages.at("1").project, "WRKA");
  EXPECT_EQ(ages.at("1").synced_ms, kT0) << "WRKB's sync says nothing of WRKA";
  EXPECT_EQ(ages.at("2").synced_ms, kT0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTicketFreshnessTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
