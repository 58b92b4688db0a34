#pragma once

#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// Masks secrets in text before it leaves the process (log lines, CLI output,
// HTTP error bodies, dead-letter reasons). Two layers, because neither alone
// is enough:
//  - exact strings registered at startup (API token, DB password, the base64
//    "email:token" of the Basic header), wherever they appear;
//  - patterns for credentials nobody registered: `Authorization: ...` header
//    values, `Basic xxx` / `Bearer xxx`, `password=...` / `token=...`, JSON
//    `"password": "..."`, and the password in `scheme://user:password@host`.
// Thread-safe: secrets are added at startup, read by every logging thread.
class SecretRedactor {
 public:
  static constexpr std::string_view kMask = "[REDACTED]";

  // Registers a secret and its percent-encoded form (as it appears in URLs).
  // Empty strings are ignored.
  void add_secret(std::string_view secret);
  // Registers the token and base64("user:token") as sent in a Basic header.
  void add_basic_auth(std::string_view user, std::string_view token);
  // Forgets every registered secret (tests).
  void clear();

  std::string redact(std::string_view text) const;

  // The redactor behind the logger and jirasync::redact().
  static SecretRedactor& process();

 private:
  void add_locked(std::string secret);

  mutable std::shared_mutex mutex_;
  std::vector<std::string>
      secrets_;  // longest first, so a secret containing another is masked whole
};

// `text` with `secret` (raw and percent-encoded) and every credential pattern
// masked: for messages that carry one known secret, such as a database error.
std::string scrub_secret(std::string_view text, std::string_view secret);

// The process redactor applied to `text`: use it for messages shown without
// the logger.
std::string redact(std::string_view text);

}  // namespace jirasync
