#include "common/store/database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <optional>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

TEST(Database, ConnectionFailureNamesTheHostButNeverThePassword) {
  // Port 1 on loopback refuses at once; no server is needed.
  try {
    Database::open("postgresql://jirasync:hunter2@127.0.0.1:1/jirasync?connect_timeout=2");
    FAIL() << "connected to port 1";
  } catch (const DatabaseError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
    EXPECT_NE(what.find("postgresql://jirasync:[REDACTED]@127.0.0.1:1/jirasync"), std::string::npos)
        << what;
  }
}

TEST(Database, SqliteMemoryOpensAndPathWithSpacesWorks) {
  auto memory = Database::open("sqlite::memory:");
  EXPECT_EQ(memory->backend(), Backend::kSqlite);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jirasync store test " + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto file = Database::open("sqlite:" + (dir / "a cache.db").string());
    auto lock = file->lock();
    file->session() << "CREATE TABLE t (x INTEGER)";
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "a cache.db"));
  std::filesystem::remove_all(dir);
}

int backend_pid(Database& db) {
  int pid = 0;
  db.session() << "SELECT pg_backend_pid()", soci::into(pid);
  return pid;
}

std::string plan_cache_mode(Database& db) {
  std::string mode;
  db.session() << "SHOW plan_cache_mode", soci::into(mode);
  return mode;
}

TEST(Database, ConnectionsServeThreadsInParallelAndNestOnTheirOwn) {
  if (testing::pg_test_url().empty()) {
    GTEST_SKIP() << "JIRASYNC_TEST_PG_URL is not set (scripts/services.sh start exports it)";
  }
  auto db = Database::open(testing::pg_test_url(), 2, "SET plan_cache_mode = force_generic_plan");
  std::optional<Database::Lock> held(db->lock());
  const int mine = backend_pid(*db);
  {
    auto nested = db->lock();  // the same thread: the same connection
    EXPECT_EQ(backend_pid(*db), mine);
  }
  // Another thread gets the other connection while this one holds its own.
  auto other = std::async(std::launch::async, [&] {
    auto lock = db->lock();
    return std::make_pair(backend_pid(*db), plan_cache_mode(*db));
  });
  const auto status = other.wait_for(std::chrono::seconds(10));
  const bool mine_checked = plan_cache_mode(*db) == "force_generic_plan";
  held.reset();  // lets a waiting thread go, so a failure ends
  ASSERT_EQ(status, std::future_status::ready)
      << "a second thread waited for the first one's connection";
  const auto [pid, mode] = other.get();
  EXPECT_NE(pid, mine);
  EXPECT_EQ(mode, "force_generic_plan");
  EXPECT_TRUE(mine_checked);
}

}  // namespace
}  // namespace jirasync
