#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jirasync {

// How long a Retry-After header asks to wait, in milliseconds: either
// delay-seconds ("120") or an IMF-fixdate ("Wed, 21 Oct 2015 07:28:00 GMT")
// measured against `now_ms`. A date in the past means 0. nullopt when the
// value is neither, so the caller falls back to its own backoff.
std::optional<int64_t> parse_retry_after_ms(const std::string& value, int64_t now_ms);

}  // namespace jirasync
