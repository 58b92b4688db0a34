#include "common/store/migrations.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "common/store/sql_query.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

class MigrationsTest : public StoreTest {};

int64_t count_rows(Database& db, const std::string& table) {
  auto lock = db.lock();
  return SqlQuery("SELECT COUNT(*) FROM " + table).fetch_one(db.session(), "i")->i64(0);
}

TEST_P(MigrationsTest, FreshDatabaseHasEveryTableAndRerunIsANoOp) {
  // The fixture already migrated once.
  EXPECT_EQ(applied_migrations(*db()), std::vector<int>{1});
  for (const char* table : {"tickets", "ticket_keys", "ticket_changes", "local_edits", "notes",
                            "links", "conflicts", "sync_runs", "project_cursors",
                            "consumer_offsets", "run_items", "sweep_ids", "rate_buckets"}) {
    EXPECT_EQ(count_rows(*db(), table), 0) << table;
  }
  EXPECT_EQ(migrate(*db()), 0);
  EXPECT_EQ(migrate(*db()), 0);
  EXPECT_EQ(count_rows(*db(), "schema_migrations"), 1);
}

TEST_P(MigrationsTest, OnlyNewVersionsAreApplied) {
  std::vector<Migration> next = schema_migrations();
  next.push_back({2, "add a table", {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"}});
  EXPECT_EQ(migrate(*db(), next), 1);
  EXPECT_EQ(applied_migrations(*db()), (std::vector<int>{1, 2}));
  EXPECT_EQ(count_rows(*db(), "extra"), 0);
  EXPECT_EQ(migrate(*db(), next), 0);
}

TEST_P(MigrationsTest, AFailingMigrationLeavesNothingBehind) {
  std::vector<Migration> next = schema_migrations();
  next.push_back(
      {2, "half good", {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)", "CREATE TABLE broken ("}});
  EXPECT_THROW(migrate(*db(), next), DatabaseError);
  EXPECT_EQ(applied_migrations(*db()), std::vector<int>{1});
  // `extra` was rolled back with the failed step, so applying a fixed v2 works.
  next.back().statements = {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"};
  EXPECT_EQ(migrate(*db(), next), 1);
}

TEST_P(MigrationsTest, TwoConnectionsMigratingTheSameDatabaseBothSucceed) {
  std::vector<Migration> next = schema_migrations();
  next.push_back({2, "add a table", {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"}});
  auto other = scratch_->open_another();
  EXPECT_EQ(migrate(*db(), next) + migrate(*other, next), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
