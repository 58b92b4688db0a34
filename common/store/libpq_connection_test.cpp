#include "common/store/libpq_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using testing::StoreTest;

// Pins the one reach into SOCI's internals (libpq_connection.hpp): if a SOCI
// upgrade moves its PostgreSQL backend's connection, this fails rather than
// the bulk statements writing through a stray pointer.
class LibpqConnectionTest : public StoreTest {
 protected:
  soci::session& session() { return db()->session(); }
};

struct PgResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};

TEST_P(LibpqConnectionTest, IsTheSessionsLiveConnection) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "libpq is PostgreSQL's";
  auto lock = db()->lock();
  PGconn* conn = libpq_connection(session());
  ASSERT_NE(conn, nullptr);
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK);
  // A temporary table exists only in the server session that made it: seen
  // through the returned connection, it proves that is the SOCI session's.
  session() << "CREATE TEMPORARY TABLE pinned_probe (n BIGINT)";
  session() << "INSERT INTO pinned_probe (n) VALUES (41), (1)";
  std::unique_ptr<PGresult, PgResultFree> result(
      PQexec(conn, "SELECT SUM(n), pg_backend_pid() FROM pinned_probe"));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  EXPECT_EQ(std::string(PQgetvalue(result.get(), 0, 0)), "42");
  EXPECT_EQ(std::stoi(PQgetvalue(result.get(), 0, 1)), PQbackendPID(conn));
  int soci_pid = 0;
  session() << "SELECT pg_backend_pid()", soci::into(soci_pid);
  EXPECT_EQ(soci_pid, PQbackendPID(conn));
}

TEST_P(LibpqConnectionTest, IsRefusedForASessionNotOnPostgres) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "needs a session on another backend";
  auto lock = db()->lock();
  try {
    libpq_connection(session());
    FAIL() << "a SQLite session gave a libpq connection";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("not on PostgreSQL"));
    EXPECT_THAT(e.what(), HasSubstr("sqlite3"));
  }
}

TEST(LibpqConnection, IsRefusedForASessionNotConnected) {
  soci::session closed;
  try {
    libpq_connection(closed);
    FAIL() << "a closed session gave a libpq connection";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("not connected"));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LibpqConnectionTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
