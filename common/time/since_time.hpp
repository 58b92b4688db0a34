#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// A "since" of the change feed: a duration ago ("30m", "2d", also "-7d") or a
// time ("2024-03-05", "2024-03-05T10:00:00Z"), as epoch milliseconds. Throws
// std::invalid_argument saying which forms are accepted.
int64_t parse_since(const std::string& text, int64_t now_ms);

}  // namespace jirasync
