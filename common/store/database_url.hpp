#pragma once

#include <string>

#include "common/store/sql_dialect.hpp"

namespace jirasync {

// A database URL taken apart:
//   postgresql://user[:password]@host[:port]/dbname[?key=value&...]   (also postgres://)
//   sqlite:PATH, sqlite:///abs/path, sqlite::memory:
// Query parameters of a PostgreSQL URL pass through to libpq (sslmode,
// connect_timeout, options, ...).
struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::string connect_string;  // for SOCI; holds the password: never log it
  std::string password;        // "" when none; used to scrub error messages
  std::string redacted;        // the URL with the password replaced by "***"
  std::string sqlite_path;     // sqlite only; ":memory:" for an in-memory database
};

// Throws std::invalid_argument naming `database.url` and what is wrong. The
// message never repeats the password.
DatabaseUrl parse_database_url(const std::string& url);

// `message` with every occurrence of `secret` (raw and percent-encoded)
// replaced by "***".
std::string scrub_secret(std::string message, const std::string& secret);

}  // namespace jirasync
