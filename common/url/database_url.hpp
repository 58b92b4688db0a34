#pragma once

#include <optional>
#include <string>

namespace jirasync {

enum class Backend { kPostgres, kSqlite };

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

// Throws std::invalid_argument naming `database_url` and what is wrong. The
// message never repeats the password.
DatabaseUrl parse_database_url(const std::string& url);

// The user name and password of `scheme://user[:password]@host...` as
// written (still percent-encoded); nullopt when the URL carries none.
struct UrlUserinfo {
  std::string user;
  std::optional<std::string> password;
  size_t at = 0;  // index of the '@' that ends the userinfo
};
std::optional<UrlUserinfo> url_userinfo(const std::string& url);

// The decoded password of a database URL, nullopt when it has none.
std::optional<std::string> database_url_password(const std::string& url);

// `postgresql://user@host/db` + password -> `postgresql://user:<encoded>@host/db`.
// The caller checks that the URL has a user and no password yet.
std::string with_database_password(const std::string& url, const std::string& password);

}  // namespace jirasync
