#include "services/api/api_keys.hpp"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>

namespace jirasync {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 0xf];
  }
  return out;
}

bool is_name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

}  // namespace

ApiScope parse_api_key_scope(const std::string& text) {
  if (text == "read") return ApiScope::kRead;
  if (text == "admin") return ApiScope::kAdmin;
  throw ApiKeyError("scope: must be read or admin, got '" + text + "'");
}

std::string api_key_hash(const std::string& key) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest.data());
  return hex(digest.data(), digest.size());
}

NewApiKey make_api_key(const std::string& name, ApiScope scope, int64_t now_ms) {
  if (name.empty() || name.size() > 64 ||
      !std::all_of(name.begin(), name.end(), [](unsigned char c) { return is_name_char(c); })) {
    throw ApiKeyError("name: 1 to 64 of a-z A-Z 0-9 . _ -, got '" + name.substr(0, 80) + "'");
  }
  if (scope == ApiScope::kPublic) throw ApiKeyError("scope: must be read or admin");
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("the system's random generator failed; no key was made");
  }
  NewApiKey made;
  made.key = "jsk_" + hex(random.data(), random.size());
  made.record.name = name;
  made.record.scope = scope;
  made.record.key_hash = api_key_hash(made.key);
  made.record.prefix = made.key.substr(0, kApiKeyPrefixChars);
  made.record.created_ms = now_ms;
  return made;
}

}  // namespace jirasync
