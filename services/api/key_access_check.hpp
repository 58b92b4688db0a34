#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/api/access_check.hpp"
#include "services/api/api_keys.hpp"

namespace jirasync {

class Clock;
class RequestRate;

// Admits requests that carry a valid API key: `Authorization: Bearer KEY`, or
// Basic with any user and the key as password (Jira clients send
// `email:token`). The presented key is hashed and compared with every known
// hash in constant time. Keys are read from the store at most every
// `reload_ms` (a revoked key stops working within that; an unknown key makes
// an earlier reload, at most every 250 ms); last use is written at most once a
// minute per key. Refusals are the API's JSON errors: 401 (no key, unknown or
// revoked key; with WWW-Authenticate), 403 (read key on an admin route), 429
// over the key's rate (Retry-After in seconds), 503 when the keys cannot be
// read yet. Nothing here logs a key or a header.
class KeyAccessCheck final : public AccessCheck {
 public:
  KeyAccessCheck(ApiKeyStore& keys, Clock& clock, RequestRate* rate = nullptr,
                 int64_t reload_ms = 2000);
  std::optional<RouteResponse> admit(const RouteRequest& request, ApiScope needed,
                                     ApiCaller& caller) override;

 private:
  struct Known {
    std::string name;
    ApiScope scope = ApiScope::kRead;
    std::array<unsigned char, 32> hash{};
    bool revoked = false;
    int64_t marked_ms = 0;  // last_used_ms written at
  };
  // Under mu_. False when the keys were never read and cannot be now.
  bool refresh(int64_t now_ms, bool unknown_key);

  ApiKeyStore& keys_;
  Clock& clock_;
  RequestRate* rate_;
  int64_t reload_ms_;
  std::mutex mu_;
  std::vector<Known> known_;
  std::optional<int64_t> loaded_ms_;
  int64_t last_attempt_ms_ = 0;
};

// The key in an Authorization header ("" when there is none or it has
// another scheme): Bearer KEY, or Basic base64(user:KEY).
std::string presented_api_key(const std::string& authorization);

}  // namespace jirasync
