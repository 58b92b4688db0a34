#include "common/store/migrations.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "common/jql/parser.hpp"
#include "common/store/sql_issue_search.hpp"
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

// Migration 11 (one full-text index on PostgreSQL) on a cache that already
// holds tickets: afterwards `~` still finds them per field, and only the
// summary-and-description index of migration 7 is left. SQLite keeps its
// FTS5 table.
TEST_P(MigrationsTest, Migration11OnACacheWithTicketsKeepsTextSearchWorking) {
  testing::ScratchDatabase old(GetParam(), 10);
  Database& db = *old.db();
  {
    auto lock = db.lock();
    for (const auto& [id, summary, description] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"1", "Login crashes after upgrade", "Page stays blank"},
             {"2", "Slow export", "the report crashes the browser"},
             {"3", "Nothing here", "at all"}}) {
      SqlQuery(
          "INSERT INTO tickets (id, key, project, summary, description_text, created_ms, "
          "updated_ms, content_hash, first_seen_ms, last_synced_ms) "
          "VALUES (?, ?, 'P', ?, ?, 0, 0, 'h', 0, 0)")
          .arg(id)
          .arg("P-" + id)
          .arg(summary)
          .arg(description)
          .execute(db.session());
    }
  }
  ASSERT_EQ(applied_migrations(db).back(), 10);
  EXPECT_EQ(migrate(db), static_cast<int>(released_versions().size()) - 10);
  EXPECT_EQ(applied_migrations(db), released_versions());

  SqlIssueSearch search(old.db());
  JqlContext context;
  const auto keys = [&](const std::string& jql) {
    std::vector<std::string> out;
    for (const auto& r : search.search(parse_jql(jql), context, 100, "").rows) {
      out.push_back(r.key);
    }
    return out;
  };
  using Keys = std::vector<std::string>;
  EXPECT_EQ(keys("summary ~ crash"), (Keys{"P-1"}));
  EXPECT_EQ(keys("description ~ crash"), (Keys{"P-2"}));
  EXPECT_EQ(keys("text ~ crash"), (Keys{"P-1", "P-2"}));
  EXPECT_EQ(keys("summary !~ crash"), (Keys{"P-2", "P-3"}));
  EXPECT_EQ(keys("description !~ crash"), (Keys{"P-1", "P-3"}));

  if (GetParam() != Backend::kPostgres) return;
  // PostgreSQL's `text` is one document: a phrase may run on from the
  // summary into the description (FTS5 keeps phrases within one column).
  EXPECT_EQ(keys("text ~ \"\\\"upgrade page\\\"\""), (Keys{"P-1"}));
  auto lock = db.lock();
  std::vector<std::string> indexes;
  for (const SqlRow& r : SqlQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'tickets' "
                                  "AND schemaname = current_schema() "
                                  "AND indexdef LIKE '%to_tsvector%' ORDER BY 1")
                             .fetch(db.session(), "t")) {
    indexes.push_back(r.text(0));
  }
  EXPECT_EQ(indexes, (std::vector<std::string>{"tickets_text_search"}));
}

// Each field's `~` on PostgreSQL is a lookup in the one full-text index (the
// compiler writes the index's expression word for word), not a scan.
TEST_P(MigrationsTest, TextSearchOnPostgresReadsTheIndex) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "the GIN index is PostgreSQL's";
  SqlIssueSearch search(db());
  JqlContext context;
  auto lock = db()->lock();
  soci::session& s = db()->session();
  s << "SET enable_seqscan = off";
  for (const char* jql : {"summary ~ crash", "description ~ \"crash*\"", "text ~ crash"}) {
    const auto statement = search.statement(parse_jql(jql), context, 50, "");
    SqlQuery explain("EXPLAIN " + statement.sql);
    for (const JqlParam& p : statement.params) {
      std::visit([&](const auto& v) { explain.arg(v); }, p);
    }
    std::string plan;
    for (const SqlRow& r : explain.fetch(s, "t")) plan += r.text(0) + "\n";
    EXPECT_NE(plan.find("tickets_text_search"), std::string::npos) << jql << "\n" << plan;
  }
  s << "RESET enable_seqscan";
}

// Each plain B-tree index of the schema (no expressions, no WHERE): its
// table, whether it is unique, and its columns in order.
struct PlainIndex {
  std::string table;
  std::string name;
  bool unique = false;
  std::vector<std::string> columns;
};

std::vector<PlainIndex> plain_indexes(Database& db) {
  const bool postgres = db.backend() == Backend::kPostgres;
  const std::string sql =
      postgres ? "SELECT t.relname, i.relname, x.indisunique::int, a.attname "
                 "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                 "JOIN pg_class t ON t.oid = x.indrelid "
                 "JOIN pg_namespace n ON n.oid = t.relnamespace "
                 "JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree' "
                 "CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) "
                 "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
                 "WHERE n.nspname = current_schema() AND x.indexprs IS NULL "
                 "AND x.indpred IS NULL ORDER BY 1, 2, k.ord"
               : "SELECT m.name, il.name, il.\"unique\", ii.name "
                 "FROM sqlite_master m JOIN pragma_index_list(m.name) il "
                 "JOIN pragma_index_info(il.name) ii "
                 "WHERE m.type = 'table' AND il.partial = 0 ORDER BY 1, 2, ii.seqno";
  std::vector<PlainIndex> out;
  std::set<std::string> with_expressions;
  auto lock = db.lock();
  for (const SqlRow& r : SqlQuery(sql).fetch(db.session(), "ttit")) {
    if (out.empty() || out.back().name != r.text(1)) {
      out.push_back({r.text(0), r.text(1), r.i64(2) != 0, {}});
    }
    if (r.is_null(3)) with_expressions.insert(r.text(1));  // an expression column on SQLite
    out.back().columns.push_back(r.is_null(3) ? "" : r.text(3));
  }
  std::erase_if(out, [&](const PlainIndex& i) { return with_expressions.count(i.name) > 0; });
  return out;
}

bool leads(const std::vector<std::string>& prefix, const std::vector<std::string>& columns) {
  return prefix.size() <= columns.size() &&
         std::equal(prefix.begin(), prefix.end(), columns.begin());
}

// An index whose columns lead another index of the same table is paid for on
// every write and read by nothing the other does not serve.
TEST_P(MigrationsTest, NoIndexIsCoveredByAnotherOfItsTable) {
  const std::vector<PlainIndex> indexes = plain_indexes(*db());
  ASSERT_GT(indexes.size(), 20u) << "the schema's indexes were not read";
  for (const PlainIndex& a : indexes) {
    if (a.unique) continue;  // a constraint, not only a path
    for (const PlainIndex& b : indexes) {
      if (&a == &b || a.table != b.table) continue;
      EXPECT_FALSE(leads(a.columns, b.columns))
          << a.name << " on " << a.table << " is covered by " << b.name;
    }
  }
}

TEST_P(MigrationsTest, Migration17DropsTheCommentsIndexAndForgetsItsDeferral) {
  testing::ScratchDatabase old(GetParam(), 16);
  Database& fresh = *old.db();
  {
    auto lock = fresh.lock();
    SqlQuery("INSERT INTO deferred_indexes (name, definition, deferred_ms) VALUES (?, ?, 1)")
        .arg(std::string("ticket_comments_ticket"))
        .arg(std::string("CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id)"))
        .execute(fresh.session());
  }
  const auto covered = [&] {
    for (const PlainIndex& i : plain_indexes(fresh)) {
      if (i.name == "ticket_comments_ticket") return true;
    }
    return false;
  };
  ASSERT_TRUE(covered());
  EXPECT_EQ(migrate(fresh), 1);
  EXPECT_FALSE(covered());
  EXPECT_EQ(count_rows(fresh, "deferred_indexes"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
