#pragma once

#include <optional>
#include <string>

namespace jirasync {

// The password part of `scheme://user:password@host/...`, percent-decoded;
// nullopt when the URL carries none.
std::optional<std::string> database_url_password(const std::string& url);
inline bool database_url_has_password(const std::string& url) {
  return database_url_password(url).has_value();
}

// `postgresql://user@host/db` + password -> `postgresql://user:<pct-encoded>@host/db`.
// Throws ConfigError when the URL is not PostgreSQL, has no user, or already
// has a password.
std::string with_database_password(const std::string& url, const std::string& password);

}  // namespace jirasync
