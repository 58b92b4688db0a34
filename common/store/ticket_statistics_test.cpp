#include "common/store/ticket_statistics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

TEST(StatisticsSchedule, IsDueAtTheFirstCountThenEachTimeItGrowsFourfold) {
  StatisticsSchedule schedule(2000);
  EXPECT_FALSE(schedule.due(0));
  EXPECT_FALSE(schedule.due(1999));
  EXPECT_TRUE(schedule.due(2000));
  EXPECT_FALSE(schedule.due(2001));
  EXPECT_FALSE(schedule.due(7999));
  EXPECT_TRUE(schedule.due(8000));
  EXPECT_FALSE(schedule.due(31999));
  EXPECT_TRUE(schedule.due(32000));
}

TEST(StatisticsSchedule, AJumpPastSeveralThresholdsIsDueOnce) {
  StatisticsSchedule schedule(2000);
  EXPECT_TRUE(schedule.due(40000));  // past 2,000, 8,000 and 32,000
  EXPECT_FALSE(schedule.due(127999));
  EXPECT_TRUE(schedule.due(128000));
}

using testing::StoreTest;

class TicketStatisticsTest : public StoreTest {
 protected:
  // Whether PostgreSQL holds statistics of tickets.id (ANALYZE has run).
  bool ids_analyzed() {
    auto lock = db()->lock();
    return SqlQuery(
               "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() "
               "AND tablename = 'tickets' AND attname = 'id'")
               .fetch_one(db()->session(), "i")
               ->i64(0) > 0;
  }

  void insert_tickets(SqlDecisionSink& sink, int from, int n) {
    std::vector<Decision> batch;
    for (int i = from; i < from + n; ++i) {
      batch.push_back(testing::snapshot(
          "", testing::issue(std::to_string(10000 + i), "WRKA-" + std::to_string(i), 5'000)));
    }
    sink.apply(batch, "writer", {}, 9'000);
  }
};

TEST_P(TicketStatisticsTest, AWriterGathersTheKeysStatisticsOnceTheFirstRowsAreIn) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "SQLite plans without them";
  {
    // Only the writer may analyze here, not autovacuum passing by.
    auto lock = db()->lock();
    db()->session() << "ALTER TABLE tickets SET (autovacuum_enabled = false)";
  }
  SqlDecisionSink sink(db());
  insert_tickets(sink, 0, 1000);
  insert_tickets(sink, 1000, 999);
  EXPECT_FALSE(ids_analyzed()) << "1,999 rows: not yet";
  insert_tickets(sink, 1999, 1);
  EXPECT_TRUE(ids_analyzed()) << "2,000 rows: the planner now knows the table";
}

TEST_P(TicketStatisticsTest, AnalyzingTheKeysLeavesTheRowsAsTheyWere) {
  SqlDecisionSink sink(db());
  insert_tickets(sink, 0, 3);
  analyze_ticket_keys(*db());
  auto lock = db()->lock();
  EXPECT_EQ(SqlQuery("SELECT COUNT(*) FROM tickets").fetch_one(db()->session(), "i")->i64(0), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketStatisticsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
