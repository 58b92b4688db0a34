// A Database whose PostgreSQL connection was cut (server restarted, backend
// terminated, network reset) connects again on its next use instead of
// failing every call that follows, so a role rides out a database outage.
#include <gtest/gtest.h>
#include <poll.h>
#include <soci/soci.h>

#include <chrono>

#include "common/store/database.hpp"
#include "common/store/libpq_connection.hpp"
#include "tests/integration/service_env.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;
using integration::required_env;

int backend_pid(Database& db) {
  auto lock = db.lock();
  int pid = 0;
  db.session() << "SELECT pg_backend_pid()", soci::into(pid);
  return pid;
}

bool backend_alive(Database& db, int pid) {
  auto lock = db.lock();
  int n = 0;
  db.session() << "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = :p", soci::use(pid),
      soci::into(n);
  return n > 0;
}

TEST(DatabaseReconnect, ACutConnectionIsReplacedOnTheNextCall) {
  const std::string url = required_env("JIRASYNC_TEST_PG_URL");
  auto db = Database::open(url);
  auto admin = Database::open(url);
  const int first = backend_pid(*db);
  PGconn* cut = nullptr;  // the connection about to be cut; `db` still owns it
  {
    auto lock = db->lock();
    cut = libpq_connection(db->session());
  }
  {
    auto lock = admin->lock();
    int done = 0;
    admin->session() << "SELECT CAST(pg_terminate_backend(:p) AS INT)", soci::use(first),
        soci::into(done);
    ASSERT_EQ(done, 1);
  }
  ASSERT_TRUE(testing::wait_until([&] { return !backend_alive(*admin, first); }, 10s));
  // The backend leaves pg_stat_activity a moment before its goodbye reaches
  // our socket: wait for that, as a server that stopped has sent it too.
  ASSERT_TRUE(testing::wait_until(
      [&] {
        pollfd p{PQsocket(cut), POLLIN, 0};
        return ::poll(&p, 1, 0) > 0;
      },
      10s));

  // The server closed the idle connection (as it does when it stops, or
  // when the postmaster dies): the next call notices before it runs and
  // connects again, so no work fails for a connection that was gone already.
  int second = 0;
  ASSERT_NO_THROW(second = backend_pid(*db));
  EXPECT_NE(second, first);
  EXPECT_EQ(backend_pid(*db), second);
}

}  // namespace
}  // namespace jirasync
