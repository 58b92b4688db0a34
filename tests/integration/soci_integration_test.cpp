// SOCI on the real backends: PostgreSQL from scripts/services.sh and SQLite in
// a temporary file. Proves the portable pieces the store relies on: bulk
// `use(std::vector)` and a guarded `INSERT ... ON CONFLICT ... DO UPDATE`.
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/service_env.hpp"

namespace jirasync {
namespace {

using integration::required_env;
using integration::unique_name;

constexpr int kRows = 500;

// Drops the test's table whatever the outcome.
class TableGuard {
 public:
  TableGuard(soci::session& sql, std::string table) : sql_(sql), table_(std::move(table)) {}
  ~TableGuard() {
    try {
      sql_ << "DROP TABLE IF EXISTS " << table_;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping " << table_ << ": " << e.what();
    }
  }

 private:
  soci::session& sql_;
  std::string table_;
};

// The scenario run on both backends.
void bulk_upsert_round_trip(soci::session& sql) {
  const std::string table = unique_name("it_soci");
  sql << "CREATE TABLE " << table
      << " (id BIGINT PRIMARY KEY, summary TEXT NOT NULL, updated BIGINT NOT NULL)";
  TableGuard guard(sql, table);

  const std::string upsert = "INSERT INTO " + table +
                             " (id, summary, updated) VALUES (:id, :summary, :updated)"
                             " ON CONFLICT (id) DO UPDATE SET summary = excluded.summary,"
                             " updated = excluded.updated"
                             " WHERE excluded.updated > " +
                             table + ".updated";

  std::vector<long long> ids, updated;
  std::vector<std::string> summaries;
  for (int i = 0; i < kRows; ++i) {
    ids.push_back(i);
    summaries.push_back("first " + std::to_string(i) + " \xC3\xA9\xE2\x82\xAC'\"");
    updated.push_back(1000 + i);
  }
  {
    soci::transaction tx(sql);
    sql << upsert, soci::use(ids, "id"), soci::use(summaries, "summary"),
        soci::use(updated, "updated");
    tx.commit();
  }

  // Second batch: even ids are newer (must win), odd ids older (must not).
  std::vector<std::string> second;
  std::vector<long long> second_updated;
  for (int i = 0; i < kRows; ++i) {
    second.push_back("second " + std::to_string(i));
    second_updated.push_back(i % 2 == 0 ? 5000 + i : 10 + i);
  }
  {
    soci::transaction tx(sql);
    sql << upsert, soci::use(ids, "id"), soci::use(second, "summary"),
        soci::use(second_updated, "updated");
    tx.commit();
  }

  int count = 0;
  sql << "SELECT COUNT(*) FROM " << table, soci::into(count);
  EXPECT_EQ(count, kRows);

  std::vector<long long> got_ids(kRows), got_updated(kRows);
  std::vector<std::string> got_summaries(kRows);
  sql << "SELECT id, summary, updated FROM " << table << " ORDER BY id", soci::into(got_ids),
      soci::into(got_summaries), soci::into(got_updated);
  ASSERT_EQ(got_ids.size(), static_cast<std::size_t>(kRows));
  for (int i = 0; i < kRows; ++i) {
    EXPECT_EQ(got_ids[i], i);
    if (i % 2 == 0) {
      EXPECT_EQ(got_summaries[i], second[i]) << "newer update lost for id " << i;
      EXPECT_EQ(got_updated[i], 5000 + i);
    } else {
      EXPECT_EQ(got_summaries[i], summaries[i]) << "older update overwrote id " << i;
      EXPECT_EQ(got_updated[i], 1000 + i);
    }
  }
}

TEST(SociIntegration, PostgresqlBulkUpsert) {
  soci::session sql(soci::postgresql,
                    integration::pg_connect_string(required_env("JIRASYNC_TEST_PG_URL")));
  bulk_upsert_round_trip(sql);
}

TEST(SociIntegration, SqliteBulkUpsert) {
  auto path = std::filesystem::temp_directory_path() / (unique_name("jirasync_it") + ".db");
  {
    soci::session sql(soci::sqlite3, "db=" + path.string());
    bulk_upsert_round_trip(sql);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace jirasync
