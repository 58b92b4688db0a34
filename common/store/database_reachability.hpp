#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/url/database_url.hpp"

namespace jirasync {

class Database;

// Whether the database answers `SELECT 1`, on a connection of its own (never
// the stores', so a check neither waits behind a long batch nor disturbs a
// transaction). Used by /readyz. On PostgreSQL the connect and the query are
// bounded by the timeout through libpq's asynchronous API, so a frozen server
// cannot hang the check; a failed check drops the connection and the next one
// reconnects.
class DatabaseReachability {
 public:
  // Throws std::invalid_argument naming database_url when the URL is malformed.
  explicit DatabaseReachability(const std::string& url);
  ~DatabaseReachability();
  DatabaseReachability(const DatabaseReachability&) = delete;
  DatabaseReachability& operator=(const DatabaseReachability&) = delete;

  // Returns when SELECT 1 answered within `timeout`; throws DatabaseError
  // (password scrubbed) saying what failed otherwise.
  void check(std::chrono::milliseconds timeout);

 private:
  struct Postgres;
  void check_postgres(std::chrono::milliseconds timeout);
  void check_sqlite();

  std::string url_text_;  // holds the password: never log it
  DatabaseUrl url_;
  std::unique_ptr<Postgres> pg_;
  std::shared_ptr<Database> sqlite_;
};

}  // namespace jirasync
