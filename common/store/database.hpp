#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/store/sql_dialect.hpp"
#include "common/url/database_url.hpp"

namespace soci {
class session;
}

namespace jirasync {

// A database failure whose message is safe to log (the password scrubbed).
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One open connection (one SOCI session) and its dialect; on PostgreSQL
// optionally a few (open's `connections`): a small pool for a role whose
// handler threads read in parallel (jirasync-api).
//
// Outages: lock() connects again when the PostgreSQL connection was cut
// (server stopped, crashed or restarted, backend terminated), and throws
// DatabaseError while the server is still away, so a role that retries its
// work rides the outage out. A connection the server closed while idle is
// noticed before use; one cut in the middle of a call fails that call.
//
// Threading: a SOCI session is not thread-safe, so a Database serialises its
// users on a mutex; the stores hold lock() for the length of each call. Stores
// may share one Database (needed for sqlite::memory:, which exists only inside
// its connection); for parallel work on PostgreSQL give each store, or each
// thread's store, its own Database::open(), or open one with several
// connections: then lock() takes a free one (waiting while all are held) and
// keeps it for the thread until the outermost lock ends.
class Database {
 public:
  // Connects; for SQLite also sets WAL, busy_timeout, foreign_keys and
  // synchronous=NORMAL. Throws std::invalid_argument for a malformed URL and
  // DatabaseError when the connection fails; neither message holds the password.
  // `connections` > 1 opens that many on PostgreSQL; SQLite always has one.
  // `session_setup` (PostgreSQL): a statement run on each connection when it
  // connects and connects again, e.g. "SET plan_cache_mode = ...".
  static std::shared_ptr<Database> open(const std::string& url, int connections = 1,
                                        const std::string& session_setup = "");
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const SqlDialect& dialect() const { return *dialect_; }
  Backend backend() const { return dialect_->backend(); }
  // The URL with the password replaced by "***".
  const std::string& redacted_url() const { return url_.redacted; }

  struct Connection;

  // Holds a connection for one caller; lock() again on the same thread
  // nests. The outermost lock connects again when the connection was lost.
  class Lock {
   public:
    Lock(Lock&& other) noexcept;
    Lock& operator=(Lock&&) = delete;
    ~Lock();

   private:
    friend class Database;
    explicit Lock(Database& db);
    Database* db_;
    Connection* connection_ = nullptr;
  };
  [[nodiscard]] Lock lock() { return Lock(*this); }
  // Only while holding lock(): the connection this thread holds.
  soci::session& session();

  // Wraps a failure of this database in a DatabaseError with the password scrubbed.
  [[noreturn]] void fail(const std::string& doing, const std::exception& e) const;

 private:
  Database(DatabaseUrl url, std::vector<std::unique_ptr<soci::session>> sessions,
           std::string session_setup);
  // PostgreSQL: connects again when the connection is gone. Under the lock.
  void reconnect_if_lost(soci::session& session);

  DatabaseUrl url_;
  std::unique_ptr<SqlDialect> dialect_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::string session_setup_;
  std::mutex mutex_;                  // guards each Connection's holder and depth
  std::condition_variable released_;  // a connection became free
};

// A write transaction (BEGIN IMMEDIATE on SQLite) that rolls back unless
// committed. Hold Database::lock() around it.
class WriteTransaction {
 public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace jirasync
