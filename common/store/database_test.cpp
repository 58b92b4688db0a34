#include "common/store/database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <filesystem>

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

}  // namespace
}  // namespace jirasync
