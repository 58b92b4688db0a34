#include "common/time/duration_text.hpp"

#include <limits>
#include <stdexcept>

namespace jirasync {
namespace {

struct Unit {
  std::string_view name;
  int64_t ms;
};
// Longest names first, so "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {{"ms", 1},      {"w", 604800000}, {"d", 86400000},
                           {"h", 3600000}, {"m", 60000},     {"s", 1000}};

[[noreturn]] void bad(std::string_view text, const char* why) {
  throw std::invalid_argument("'" + std::string(text.substr(0, 40)) + "' is not a duration (" +
                              why + "; e.g. 30s, 15m, 1h, 1h30m, 2d)");
}

}  // namespace

int64_t parse_duration_ms(std::string_view text) {
  if (text.empty()) bad(text, "empty");
  int64_t total = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    int64_t n = 0;
    const size_t digits_at = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) bad(text, "too large");
      n = n * 10 + (text[pos++] - '0');
    }
    if (pos == digits_at) bad(text, "expected a number");
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (text.substr(pos, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (!unit) bad(text, "expected a unit ms, s, m, h, d or w after the number");
    pos += unit->name.size();
    if (n > (std::numeric_limits<int64_t>::max() - total) / unit->ms) bad(text, "too large");
    total += n * unit->ms;
  }
  return total;
}

std::string format_duration_text(int64_t ms) {
  if (ms <= 0) return "0s";
  std::string out;
  for (const Unit& u : {kUnits[1], kUnits[2], kUnits[3], kUnits[4], kUnits[5], kUnits[0]}) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + std::string(u.name);
      ms %= u.ms;
    }
  }
  return out;
}

}  // namespace jirasync
