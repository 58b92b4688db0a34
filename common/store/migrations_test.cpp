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

std::vector<int> released_versions() {
  std::vector<int> versions;
  for (const Migration& m : schema_migrations()) versions.push_back(m.version);
  return versions;
}

int next_version() {
  return schema_migrations().back().version + 1;
}

std::vector<int> released_and(std::vector<int> more) {
  std::vector<int> versions = released_versions();
  versions.insert(versions.end(), more.begin(), more.end());
  return versions;
}

TEST_P(MigrationsTest, VersionsAscendWithoutGaps) {
  const std::vector<int> versions = released_versions();
  for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], static_cast<int>(i) + 1);
}

TEST_P(MigrationsTest, FreshDatabaseHasEveryTableAndRerunIsANoOp) {
  // The fixture already migrated once; every version is recorded on both
  // backends, also those that run nothing on this one.
  EXPECT_EQ(applied_migrations(*db()), released_versions());
  for (const char* table : {"tickets", "ticket_keys", "ticket_changes", "local_edits", "notes",
                            "links", "conflicts", "sync_runs", "project_cursors",
                            "consumer_offsets", "run_items", "sweep_ids", "rate_buckets"}) {
    EXPECT_EQ(count_rows(*db(), table), 0) << table;
  }
  EXPECT_EQ(migrate(*db()), 0);
  EXPECT_EQ(migrate(*db()), 0);
  EXPECT_EQ(count_rows(*db(), "schema_migrations"),
            static_cast<int64_t>(schema_migrations().size()));
}

TEST_P(MigrationsTest, OnlyNewVersionsAreApplied) {
  std::vector<Migration> next = schema_migrations();
  next.push_back(
      {next_version(), "add a table", {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"}});
  EXPECT_EQ(migrate(*db(), next), 1);
  EXPECT_EQ(applied_migrations(*db()), released_and({next_version()}));
  EXPECT_EQ(count_rows(*db(), "extra"), 0);
  EXPECT_EQ(migrate(*db(), next), 0);
}

TEST_P(MigrationsTest, AFailingMigrationLeavesNothingBehind) {
  std::vector<Migration> next = schema_migrations();
  next.push_back({next_version(),
                  "half good",
                  {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)", "CREATE TABLE broken ("}});
  EXPECT_THROW(migrate(*db(), next), DatabaseError);
  EXPECT_EQ(applied_migrations(*db()), released_versions());
  // `extra` was rolled back with the failed step, so applying a fixed one works.
  next.back().statements = {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"};
  EXPECT_EQ(migrate(*db(), next), 1);
}

TEST_P(MigrationsTest, TwoConnectionsMigratingTheSameDatabaseBothSucceed) {
  std::vector<Migration> next = schema_migrations();
  next.push_back(
      {next_version(), "add a table", {"CREATE TABLE extra (id ${BIGINT} PRIMARY KEY)"}});
  auto other = scratch_->open_another();
  EXPECT_EQ(migrate(*db(), next) + migrate(*other, next), 1);
}

TEST_P(MigrationsTest, AOneBackendStepRunsThereAndIsOnlyRecordedElsewhere) {
  const int v = next_version();
  std::vector<Migration> next = schema_migrations();
  next.push_back({v, "postgres only", {"CREATE TABLE pg_only (id ${BIGINT})"}, Backend::kPostgres});
  next.push_back(
      {v + 1, "sqlite only", {"CREATE TABLE lite_only (id ${BIGINT})"}, Backend::kSqlite});
  EXPECT_EQ(migrate(*db(), next), 2);
  EXPECT_EQ(applied_migrations(*db()), released_and({v, v + 1}));
  const bool pg = GetParam() == Backend::kPostgres;
  const char* ran = pg ? "pg_only" : "lite_only";
  const char* skipped = pg ? "lite_only" : "pg_only";
  EXPECT_EQ(count_rows(*db(), ran), 0);
  EXPECT_ANY_THROW(count_rows(*db(), skipped));
  EXPECT_EQ(migrate(*db(), next), 0);
}

TEST_P(MigrationsTest, LargeTextColumnsAreLz4CompressedOnPostgres) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "column compression is PostgreSQL's";
  auto lock = db()->lock();
  soci::session& s = db()->session();
  const auto columns =
      SqlQuery(
          "SELECT c.relname || '.' || a.attname, CAST(a.attcompression AS text) "
          "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
          "WHERE a.attrelid IN (CAST('tickets' AS regclass), CAST('ticket_changes' AS regclass)) "
          "AND a.attcompression <> '' ORDER BY 1")
          .fetch(s, "tt");
  std::vector<std::string> lz4;
  for (const SqlRow& r : columns) {
    if (r.text(1) == "l") lz4.push_back(r.text(0));
  }
  EXPECT_EQ(lz4, (std::vector<std::string>{"ticket_changes.detail", "tickets.custom_fields",
                                           "tickets.description_adf", "tickets.description_text"}));
  EXPECT_EQ(columns.size(), lz4.size());
  // The server was built with lz4 and new values use it.
  SqlQuery(
      "INSERT INTO ticket_changes (ticket_id, change, detail, at_ms) "
      "VALUES ('1', 'updated', repeat('{\"field\":\"value\"}', 1000), 0)")
      .execute(s);
  EXPECT_EQ(SqlQuery("SELECT pg_column_compression(detail) FROM ticket_changes")
                .fetch_one(s, "t")
                ->text(0),
            "lz4");
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
