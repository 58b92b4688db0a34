// What the watch turns into outbox entries, on SQLite with FakeClock time.
#include "common/notify/notification_watch.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::queued_run;
using testing::snapshot;
using testing::StoreTest;

class WatchTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    runs = std::make_unique<SqlRunStore>(db());
  }
  NotificationWatch watch(std::set<NotificationKind> kinds, std::string jql = "") {
    WatchRules rules;
    rules.routes = {{"ops", std::move(kinds)}};
    rules.conflict_jql = std::move(jql);
    rules.stale_factor = 3;
    rules.cache_ttl_ms = {{"WRKA", 3600000}};
    return NotificationWatch(db(), rules);
  }
  void finish(const std::string& id, bool ok, int64_t at_ms) {
    runs->create_run(queued_run(id, "WRKA", at_ms));
    runs->mark_running(id, at_ms, -1);
    if (ok) {
      runs->mark_fetch_complete(id, 0, 0, RunStats{}, at_ms);
    } else {
      runs->mark_attempt_failed(id, "Jira answered 500", at_ms, std::nullopt);
    }
  }
  std::vector<std::string> keys() {
    auto lock = db()->lock();
    std::vector<std::string> out;
    for (const SqlRow& r : SqlQuery("SELECT dedupe_key FROM notification_outbox ORDER BY id")
                               .fetch(db()->session(), "t")) {
      out.push_back(r.text(0));
    }
    return out;
  }
  void add_conflict(const std::string& id, const std::string& key, const std::string& priority) {
    JiraIssue i = issue(id, key, 5'000);
    i.priority = priority;
    runs->create_run(queued_run("seed-" + id, "WRKA", clock.now_ms()));
    SqlDecisionSink(db()).apply({snapshot("seed-" + id, i)}, "writer", {}, clock.now_ms());
    runs->mark_attempt_failed("seed-" + id, "seeded", 0, std::nullopt);  // long ago: no event
    auto lock = db()->lock();
    SqlQuery(
        "INSERT INTO conflicts (ticket_id, field, local_value, jira_value, strategy, outcome, "
        "open, at_ms) VALUES (?, 'summary', 'a', 'b', 'MANUAL', 'manual', 1, ?)")
        .arg(id)
        .arg(clock.now_ms())
        .execute(db()->session());
  }
  FakeClock clock;
  std::unique_ptr<SqlRunStore> runs;
};

TEST_P(WatchTest, ARunThatFailedForGoodIsAnnouncedOnceAndHistoryIsNot) {
  finish("old", false, clock.now_ms() - 1000);
  auto w = watch({NotificationKind::kRunFailed});
  EXPECT_EQ(w.scan(clock.now_ms()), 0) << "a first scan starts from now";
  clock.advance_ms(1000);
  finish("r1", false, clock.now_ms());
  finish("r2", true, clock.now_ms());
  clock.advance_ms(1000);
  EXPECT_EQ(w.scan(clock.now_ms()), 1);
  EXPECT_EQ(w.scan(clock.now_ms()), 0);
  EXPECT_EQ(keys(), std::vector<std::string>{"ops:run_failed:r1"});
}

TEST_P(WatchTest, ARetryWaitIsNotAFailure) {
  auto w = watch({NotificationKind::kRunFailed});
  w.scan(clock.now_ms());
  runs->create_run(queued_run("r1", "WRKA", clock.now_ms()));
  runs->mark_running("r1", clock.now_ms(), -1);
  runs->mark_attempt_failed("r1", "timeout", clock.now_ms(), clock.now_ms() + 5000);
  clock.advance_ms(1000);
  EXPECT_EQ(w.scan(clock.now_ms()), 0);
}

TEST_P(WatchTest, SuccessIsAnnouncedOnlyWhenASinkAsks) {
  auto w = watch({NotificationKind::kRunSucceeded});
  w.scan(clock.now_ms());
  clock.advance_ms(10);
  finish("r1", true, clock.now_ms());
  EXPECT_EQ(w.scan(clock.now_ms() + 10), 1);
  EXPECT_EQ(keys(), std::vector<std::string>{"ops:run_succeeded:r1"});
}

TEST_P(WatchTest, AManualConflictIsAnnouncedOnlyOnATicketTheJqlMatches) {
  auto w = watch({NotificationKind::kConflict}, "priority in (Highest, High)");
  w.scan(clock.now_ms());
  add_conflict("101", "WRKA-1", "High");
  add_conflict("102", "WRKA-2", "Low");
  EXPECT_EQ(w.scan(clock.now_ms()), 1);
  ASSERT_EQ(keys().size(), 1u);
  EXPECT_EQ(keys()[0].rfind("ops:conflict:", 0), 0u);
  EXPECT_EQ(w.scan(clock.now_ms()), 0);
}

TEST_P(WatchTest, AHeldSweepIsAnnounced) {
  auto w = watch({NotificationKind::kMassDelete});
  {
    auto lock = db()->lock();
    SqlQuery(
        "INSERT INTO sweep_holds (run_id, project, started_ms, would_delete, live, held_ms) "
        "VALUES ('s1', 'WRKA', 1, 90, 100, 2)")
        .execute(db()->session());
  }
  EXPECT_EQ(w.scan(clock.now_ms()), 1);
  EXPECT_EQ(keys(), std::vector<std::string>{"ops:mass_delete:s1"});
}

TEST_P(WatchTest, AStaleCacheIsAnnouncedOncePerStaleSpell) {
  auto w = watch({NotificationKind::kStaleCache});
  finish("r1", true, clock.now_ms());
  clock.advance_ms(3 * 3600000);
  EXPECT_EQ(w.scan(clock.now_ms()), 0) << "3 x TTL old is not yet more than 3 x TTL";
  clock.advance_ms(1);
  EXPECT_EQ(w.scan(clock.now_ms()), 1);
  clock.advance_ms(3600000);
  EXPECT_EQ(w.scan(clock.now_ms()), 0) << "the same spell";
}

INSTANTIATE_TEST_SUITE_P(Backends, WatchTest, ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
