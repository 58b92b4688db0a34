#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jirasync {

// Reads a duration as people write it: a whole number and a unit, "500ms",
// "30s", "15m", "1h", "2d", "1w"; units may be chained ("1h30m"). Throws
// std::invalid_argument quoting the text. Zero ("0s") is allowed.
int64_t parse_duration_ms(std::string_view text);

// The shortest exact form of `ms` in the same units: 3600000 -> "1h",
// 5400000 -> "1h30m", 1500 -> "1s500ms", 0 -> "0s".
std::string format_duration_text(int64_t ms);

}  // namespace jirasync
