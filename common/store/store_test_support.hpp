#pragma once

// Test support for the store tests: a fresh, migrated database per test on
// either backend. The unit binary (common_store_test) runs on SQLite; the
// integration binary (tests/store_pg) compiles the same tests with
// JIRASYNC_STORE_TEST_PG and runs them on PostgreSQL at JIRASYNC_TEST_PG_URL.

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_local_ticket_data.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "common/store/sql_ticket_queries.hpp"

namespace jirasync::testing {

inline std::vector<Backend> store_test_backends() {
#ifdef JIRASYNC_STORE_TEST_PG
  return {Backend::kPostgres};
#else
  return {Backend::kSqlite};
#endif
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kPostgres ? "Postgres" : "Sqlite";
}

inline std::string pg_test_url() {
  const char* url = std::getenv("JIRASYNC_TEST_PG_URL");
  return url ? url : "";
}

// One isolated database: a temporary SQLite file, or a PostgreSQL schema of
// its own (search_path set through the URL's `options`) dropped afterwards.
class ScratchDatabase {
 public:
  // `up_to`: apply the schema migrations up to this version only (a cache
  // as an older release left it, for tests of a later migration).
  explicit ScratchDatabase(Backend backend, int up_to = std::numeric_limits<int>::max())
      : backend_(backend) {
    static std::atomic<int> counter{0};
    const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
                            std::to_string(std::random_device{}() % 1000000);
    if (backend == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("jirasync-store-test-" + tag);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "cache.db").string();
    } else {
      const std::string base = pg_test_url();
      schema_ = "store_test_" + tag;
      admin_ = Database::open(base);
      {
        auto lock = admin_->lock();
        admin_->session() << "CREATE SCHEMA " + schema_;
      }
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema_;
    }
    db_ = Database::open(url_);
    std::vector<Migration> migrations;
    for (const Migration& m : schema_migrations()) {
      if (m.version <= up_to) migrations.push_back(m);
    }
    migrate(*db_, migrations);
  }

  ~ScratchDatabase() {
    db_.reset();
    if (backend_ == Backend::kSqlite) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    } else if (admin_) {
      try {
        auto lock = admin_->lock();
        admin_->session() << "DROP SCHEMA " + schema_ + " CASCADE";
      } catch (...) {
      }
    }
  }

  std::shared_ptr<Database> db() const { return db_; }
  // A second, independent connection to the same database.
  std::shared_ptr<Database> open_another() const { return Database::open(url_); }
  const std::string& url() const { return url_; }

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::string schema_;
  std::string url_;
  std::shared_ptr<Database> admin_;
  std::shared_ptr<Database> db_;
};

// Fixture base: skips PostgreSQL runs when no server is configured.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && pg_test_url().empty()) {
      GTEST_SKIP() << "JIRASYNC_TEST_PG_URL is not set (scripts/services.sh start exports it)";
    }
    scratch_ = std::make_unique<ScratchDatabase>(GetParam());
  }
  std::shared_ptr<Database> db() const { return scratch_->db(); }
  std::unique_ptr<ScratchDatabase> scratch_;
};

// The four SQL seams of the ticket cache over one database, for tests that
// write through one (apply, tag, resolve) and check through another.
class SqlTicketTables : public SqlTicketCache,
                        public SqlDecisionSink,
                        public SqlTicketQueries,
                        public SqlLocalTicketData {
 public:
  explicit SqlTicketTables(const std::shared_ptr<Database>& db)
      : SqlTicketCache(db), SqlDecisionSink(db), SqlTicketQueries(db), SqlLocalTicketData(db) {}
};

}  // namespace jirasync::testing
