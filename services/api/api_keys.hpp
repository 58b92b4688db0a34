#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "services/api/api_route.hpp"

namespace jirasync {

// A bad key name or scope, a name already taken: the message names the field.
class ApiKeyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// One API key as stored: never the key itself, only its SHA-256 (hex) and a
// short prefix that tells keys apart in a listing.
struct ApiKeyRecord {
  std::string name;
  ApiScope scope = ApiScope::kRead;
  std::string key_hash;
  std::string prefix;
  int64_t created_ms = 0;
  std::optional<int64_t> revoked_ms;
  std::optional<int64_t> last_used_ms;
};

// The api_keys table (migration 8).
class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;
  // Throws ApiKeyError("name", ...) when the name is taken (revoked keys keep theirs).
  virtual void insert(const ApiKeyRecord& record) = 0;
  // Every key, revoked ones too, by name.
  virtual std::vector<ApiKeyRecord> list() = 0;
  // False when there is no active key of that name.
  virtual bool revoke(const std::string& name, int64_t now_ms) = 0;
  virtual void mark_used(const std::string& name, int64_t now_ms) = 0;
};

struct NewApiKey {
  std::string key;  // shown once, never stored
  ApiKeyRecord record;
};

// A fresh random key ("jsk_" and 64 hex digits from the system's CSPRNG) and
// its record. Throws ApiKeyError for a bad name (1-64 of a-z A-Z 0-9 . _ -)
// or a scope that is not read or admin.
NewApiKey make_api_key(const std::string& name, ApiScope scope, int64_t now_ms);
// "read" | "admin"; ApiKeyError("scope", ...) otherwise.
ApiScope parse_api_key_scope(const std::string& text);
// Hex SHA-256 of the key's bytes.
std::string api_key_hash(const std::string& key);
// Characters of a key shown in listings (the "jsk_" and 8 hex digits).
inline constexpr std::size_t kApiKeyPrefixChars = 12;

}  // namespace jirasync
