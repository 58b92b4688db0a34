#include "services/api/key_access_check.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <cctype>

#include "common/clock/clock.hpp"
#include "services/api/api_error.hpp"
#include "services/api/request_rate.hpp"

namespace jirasync {
namespace {

constexpr int64_t kUnknownReloadMs = 250;
constexpr int64_t kMarkUsedEveryMs = 60000;

bool starts_with_scheme(const std::string& header, const std::string& scheme) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
  }
  return true;
}

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// Standard base64 (padding optional); nullopt for any other character.
std::optional<std::string> base64_decode(const std::string& text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '+') {
      value = 62;
    } else if (c == '/') {
      value = 63;
    } else if (c == '=') {
      break;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::array<unsigned char, 32> hash_bytes(const std::string& hex_hash) {
  std::array<unsigned char, 32> out{};
  auto nibble = [](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    return 0;
  };
  for (std::size_t i = 0; i < out.size() && 2 * i + 1 < hex_hash.size(); ++i) {
    out[i] =
        static_cast<unsigned char>((nibble(hex_hash[2 * i]) << 4) | nibble(hex_hash[2 * i + 1]));
  }
  return out;
}

RouteResponse unauthenticated(const std::string& message) {
  auto response = api_error(401, "unauthenticated", message);
  response.headers["WWW-Authenticate"] = "Bearer realm=\"jirasync\"";
  return response;
}

}  // namespace

std::string presented_api_key(const std::string& authorization) {
  const std::string header = trim(authorization);
  if (starts_with_scheme(header, "bearer")) return trim(header.substr(7));
  if (starts_with_scheme(header, "basic")) {
    const auto decoded = base64_decode(trim(header.substr(6)));
    if (!decoded) return "";
    const auto colon = decoded->find(':');
    return colon == std::string::npos ? "" : decoded->substr(colon + 1);
  }
  return "";
}

KeyAccessCheck::KeyAccessCheck(ApiKeyStore& keys, Clock& clock, RequestRate* rate,
                               int64_t reload_ms)
    : keys_(keys), clock_(clock), rate_(rate), reload_ms_(reload_ms) {}

bool KeyAccessCheck::refresh(int64_t now_ms, bool unknown_key) {
  const bool due = !loaded_ms_ || now_ms - *loaded_ms_ >= reload_ms_ ||
                   (unknown_key && now_ms - *loaded_ms_ >= kUnknownReloadMs);
  if (!due) return true;
  // A store that is down is asked again at most every 250 ms, not per request.
  if (last_attempt_ms_ != 0 && now_ms - last_attempt_ms_ < kUnknownReloadMs && loaded_ms_) {
    return true;
  }
  last_attempt_ms_ = now_ms;
  try {
    std::vector<Known> fresh;
    for (const ApiKeyRecord& record : keys_.list()) {
      Known known;
      known.name = record.name;
      known.scope = record.scope;
      known.hash = hash_bytes(record.key_hash);
      known.revoked = record.revoked_ms.has_value();
      for (const Known& old : known_) {
        if (old.name == record.name) known.marked_ms = old.marked_ms;
      }
      fresh.push_back(std::move(known));
    }
    known_ = std::move(fresh);
    loaded_ms_ = now_ms;
  } catch (const std::exception& e) {
    spdlog::warn("api: cannot read the API keys ({}); {}", e.what(),
                 loaded_ms_ ? "using the keys read before" : "refusing requests until they load");
  }
  return loaded_ms_.has_value();
}

std::optional<RouteResponse> KeyAccessCheck::admit(const RouteRequest& request, ApiScope needed,
                                                   ApiCaller& caller) {
  const auto header = request.headers.find("authorization");
  const std::string key = header == request.headers.end() ? "" : presented_api_key(header->second);
  if (key.empty()) {
    return unauthenticated(
        "an API key is required: send 'Authorization: Bearer KEY' (make one with "
        "'jirasync apikey create NAME --scope read')");
  }
  const auto presented = hash_bytes(api_key_hash(key));
  const int64_t now_ms = clock_.now_ms();
  std::string name;
  ApiScope scope = ApiScope::kRead;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Known* match = nullptr;
    for (int pass = 0; pass < 2 && !match; ++pass) {
      if (!refresh(now_ms, pass == 1)) {
        return api_error(503, "unavailable", "the API keys cannot be read yet; try again shortly");
      }
      // Every hash is compared in full, whichever matches: the time taken
      // says nothing about how close a guess came.
      for (Known& known : known_) {
        if (CRYPTO_memcmp(known.hash.data(), presented.data(), presented.size()) == 0) {
          match = &known;
        }
      }
    }
    if (!match || match->revoked) {
      return unauthenticated("the API key is not valid (unknown or revoked)");
    }
    name = match->name;
    scope = match->scope;
    Known& used = *match;
    if (now_ms - used.marked_ms >= kMarkUsedEveryMs) {
      used.marked_ms = now_ms;
      try {
        keys_.mark_used(name, now_ms);
      } catch (const std::exception& e) {
        spdlog::warn("api: cannot record the last use of API key {}: {}", name, e.what());
      }
    }
  }
  if (needed == ApiScope::kAdmin && scope != ApiScope::kAdmin) {
    return api_error(403, "forbidden",
                     "API key '" + name + "' has read scope; this route needs an admin key");
  }
  if (rate_) {
    if (const int64_t wait_ms = rate_->take(name, now_ms); wait_ms > 0) {
      auto response = api_error(429, "too_many_requests",
                                "API key '" + name + "' is over its request rate; retry later");
      response.headers["Retry-After"] = std::to_string((wait_ms + 999) / 1000);
      return response;
    }
  }
  caller.key_name = name;
  caller.scope = scope;
  return std::nullopt;
}

}  // namespace jirasync
