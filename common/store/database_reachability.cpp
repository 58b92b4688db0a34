#include "common/store/database_reachability.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <soci/soci.h>

#include "common/log/secret_redactor.hpp"
#include "common/store/database.hpp"

namespace jirasync {

namespace {

using SteadyClock = std::chrono::steady_clock;

// Waits until the socket is readable (or writable) or the deadline passes.
bool wait_socket(int fd, bool for_write, SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  if (left.count() <= 0) return false;
  pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

struct DatabaseReachability::Postgres {
  PGconn* conn = nullptr;
  ~Postgres() { close(); }
  void close() {
    if (conn) PQfinish(conn);
    conn = nullptr;
  }
};

DatabaseReachability::DatabaseReachability(const std::string& url)
    : url_text_(url), url_(parse_database_url(url)), pg_(std::make_unique<Postgres>()) {}

DatabaseReachability::~DatabaseReachability() = default;

void DatabaseReachability::check(std::chrono::milliseconds timeout) {
  try {
    if (url_.backend == Backend::kPostgres) {
      check_postgres(timeout);
    } else {
      check_sqlite();
    }
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    sqlite_.reset();
    throw DatabaseError(scrub_secret(e.what(), url_.password));
  }
}

void DatabaseReachability::check_postgres(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  auto fail = [&](const std::string& what) {
    std::string detail = pg_->conn ? PQerrorMessage(pg_->conn) : "";
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    pg_->close();
    throw DatabaseError(scrub_secret(
        what + " (" + url_.redacted + ")" + (detail.empty() ? "" : ": " + detail), url_.password));
  };
  if (!pg_->conn || PQstatus(pg_->conn) != CONNECTION_OK) {
    pg_->close();
    pg_->conn = PQconnectStart(url_.connect_string.c_str());
    if (!pg_->conn) fail("cannot connect");
    for (;;) {
      const auto state = PQconnectPoll(pg_->conn);
      if (state == PGRES_POLLING_OK) break;
      if (state == PGRES_POLLING_FAILED) fail("cannot connect");
      if (!wait_socket(PQsocket(pg_->conn), state == PGRES_POLLING_WRITING, deadline)) {
        fail("no answer to connect within " + std::to_string(timeout.count()) + " ms");
      }
    }
  }
  if (!PQsendQuery(pg_->conn, "SELECT 1")) fail("cannot send SELECT 1");
  bool ok = false;
  for (;;) {
    while (!PQisBusy(pg_->conn)) {
      PGresult* result = PQgetResult(pg_->conn);
      if (!result) {
        if (!ok) fail("SELECT 1 failed");
        return;
      }
      ok = PQresultStatus(result) == PGRES_TUPLES_OK;
      PQclear(result);
    }
    if (!wait_socket(PQsocket(pg_->conn), false, deadline)) {
      fail("no answer to SELECT 1 within " + std::to_string(timeout.count()) + " ms");
    }
    if (!PQconsumeInput(pg_->conn)) fail("connection lost");
  }
}

void DatabaseReachability::check_sqlite() {
  // A local file: no network to wait on, busy_timeout bounds a lock.
  if (!sqlite_) sqlite_ = Database::open(url_text_);
  auto lock = sqlite_->lock();
  int one = 0;
  sqlite_->session() << "SELECT 1", soci::into(one);
}

}  // namespace jirasync
