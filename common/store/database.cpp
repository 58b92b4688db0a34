#include "common/store/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <utility>

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include "common/log/secret_redactor.hpp"
#include "common/store/libpq_connection.hpp"

namespace jirasync {

namespace {

constexpr int kSqliteBusyTimeoutMs = 10'000;

void configure_sqlite(soci::session& session, const std::string& path) {
  std::string mode;
  // WAL lets readers work while a writer commits; not available for :memory:.
  if (path != ":memory:") session << "PRAGMA journal_mode=WAL", soci::into(mode);
  session << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
  session << "PRAGMA foreign_keys=ON";
  session << "PRAGMA synchronous=NORMAL";
}

}  // namespace

struct Database::Connection {
  std::unique_ptr<soci::session> session;
  std::thread::id holder;  // the thread holding it; none when free
  int depth = 0;           // its nested locks
};

std::shared_ptr<Database> Database::open(const std::string& url_text, int connections,
                                         const std::string& session_setup) {
  DatabaseUrl url = parse_database_url(url_text);
  try {
    std::vector<std::unique_ptr<soci::session>> sessions;
    if (url.backend == Backend::kPostgres) {
      for (int i = 0; i < std::max(1, connections); ++i) {
        auto session =
            std::make_unique<soci::session>(*soci::factory_postgresql(), url.connect_string);
        // libpq prints NOTICEs ("already exists, skipping") straight to stderr.
        *session << "SET client_min_messages TO WARNING";
        if (!session_setup.empty()) *session << session_setup;
        sessions.push_back(std::move(session));
      }
    } else {
      // One only: sqlite::memory: exists inside its connection.
      auto session = std::make_unique<soci::session>(*soci::factory_sqlite3(), url.connect_string);
      configure_sqlite(*session, url.sqlite_path);
      sessions.push_back(std::move(session));
    }
    return std::shared_ptr<Database>(
        new Database(std::move(url), std::move(sessions), session_setup));
  } catch (const std::exception& e) {
    throw DatabaseError(
        scrub_secret("cannot open database " + url.redacted + ": " + e.what(), url.password));
  }
}

Database::Database(DatabaseUrl url, std::vector<std::unique_ptr<soci::session>> sessions,
                   std::string session_setup)
    : url_(std::move(url)),
      dialect_(make_dialect(url_.backend)),
      session_setup_(std::move(session_setup)) {
  for (auto& session : sessions) {
    auto connection = std::make_unique<Connection>();
    connection->session = std::move(session);
    connections_.push_back(std::move(connection));
  }
}

Database::~Database() = default;

Database::Lock::Lock(Database& db) : db_(&db) {
  const auto me = std::this_thread::get_id();
  std::unique_lock<std::mutex> guard(db.mutex_);
  for (auto& c : db.connections_) {
    if (c->holder == me) {
      ++c->depth;
      connection_ = c.get();
      return;
    }
  }
  db.released_.wait(guard, [&] {
    for (auto& c : db.connections_) {
      if (c->depth > 0) continue;
      connection_ = c.get();
      return true;
    }
    return false;
  });
  connection_->holder = me;
  connection_->depth = 1;
  guard.unlock();
  // Only the outermost lock: an inner one may sit inside a transaction.
  try {
    db.reconnect_if_lost(*connection_->session);
  } catch (...) {
    guard.lock();
    connection_->depth = 0;
    connection_->holder = {};
    db.released_.notify_one();
    throw;
  }
}

Database::Lock::Lock(Lock&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      connection_(std::exchange(other.connection_, nullptr)) {}

Database::Lock::~Lock() {
  if (db_ == nullptr) return;
  std::lock_guard<std::mutex> guard(db_->mutex_);
  if (--connection_->depth > 0) return;
  connection_->holder = {};
  db_->released_.notify_one();
}

soci::session& Database::session() {
  const auto me = std::this_thread::get_id();
  std::lock_guard<std::mutex> guard(mutex_);
  for (auto& c : connections_) {
    if (c->holder == me) return *c->session;
  }
  // Not under lock(): the first connection, as callers without a lock always had.
  return *connections_.front()->session;
}

void Database::reconnect_if_lost(soci::session& session) {
  if (backend() != Backend::kPostgres) return;
  // No backend at all: the last reconnect failed. Otherwise libpq knows a
  // connection is bad once it read the server's goodbye; an idle connection
  // has nothing to read, so anything readable now is that goodbye (the server
  // stopped, crashed or ended the backend): read it without waiting. No round
  // trip, so a connection cut while idle fails no call.
  if (session.get_backend() != nullptr) {
    PGconn* conn = libpq_connection(session);
    if (PQstatus(conn) == CONNECTION_OK) {
      // The goodbye message first, the end of the stream on a later read:
      // once something was read, wait briefly for the rest (it follows
      // within microseconds), so a half-read goodbye is not taken for life.
      for (int reads = 0; reads < 8 && PQstatus(conn) == CONNECTION_OK; ++reads) {
        pollfd socket{PQsocket(conn), POLLIN, 0};
        if (::poll(&socket, 1, reads == 0 ? 0 : 200) <= 0 || PQconsumeInput(conn) == 0) break;
      }
      if (PQstatus(conn) == CONNECTION_OK) return;
    }
  }
  try {
    session.reconnect();
    session << "SET client_min_messages TO WARNING";
    if (!session_setup_.empty()) session << session_setup_;
  } catch (const std::exception& e) {
    throw DatabaseError(
        scrub_secret("database " + url_.redacted + " unreachable (connecting again): " + e.what(),
                     url_.password));
  }
  spdlog::info("database {}: the connection was lost; connected again", url_.redacted);
}

void Database::fail(const std::string& doing, const std::exception& e) const {
  throw DatabaseError(scrub_secret(doing + ": " + e.what(), url_.password));
}

WriteTransaction::WriteTransaction(Database& db) : db_(db) {
  db_.session() << db_.dialect().begin_write();
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    db_.session() << "ROLLBACK";
  } catch (...) {
    // The connection may be gone; the server rolls back on its own then.
  }
}

void WriteTransaction::commit() {
  db_.session() << "COMMIT";
  open_ = false;
}

}  // namespace jirasync
