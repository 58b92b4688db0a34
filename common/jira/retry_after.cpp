#include "common/jira/retry_after.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <sstream>

namespace jirasync {
namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

std::optional<int64_t> parse_number(const std::string& text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "Sun, 06 Nov 1994 08:49:37 GMT" -> milliseconds since the epoch.
std::optional<int64_t> parse_imf_fixdate(const std::string& text) {
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::istringstream in(text);
  std::string weekday, day, month, year, time, zone, extra;
  if (!(in >> weekday >> day >> month >> year >> time >> zone) || (in >> extra)) {
    return std::nullopt;
  }
  if (weekday.size() != 4 || weekday.back() != ',' || zone != "GMT") return std::nullopt;
  const auto month_it =
      std::find_if(kMonths.begin(), kMonths.end(), [&](const char* name) { return month == name; });
  if (month_it == kMonths.end()) return std::nullopt;
  if (time.size() != 8 || time[2] != ':' || time[5] != ':') return std::nullopt;
  const auto d = parse_number(day), y = parse_number(year);
  const auto hh = parse_number(time.substr(0, 2)), mm = parse_number(time.substr(3, 2)),
             ss = parse_number(time.substr(6, 2));
  if (!d || !y || !hh || !mm || !ss) return std::nullopt;
  if (*d < 1 || *d > 31 || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  const auto month_number = static_cast<unsigned>(month_it - kMonths.begin() + 1);
  const int64_t days = days_from_civil(*y, month_number, static_cast<unsigned>(*d));
  return ((days * 24 + *hh) * 60 + *mm) * 60'000 + *ss * 1000;
}

}  // namespace

std::optional<int64_t> parse_retry_after_ms(const std::string& value, int64_t now_ms) {
  // A day is far beyond any sane rate-limit pause: a longer one is garbage,
  // and the caller's own backoff is the better guide.
  constexpr int64_t kLongestMs = 86'400'000;
  const std::string text = trim(value);
  std::optional<int64_t> wait_ms;
  if (auto seconds = parse_number(text)) {
    if (*seconds <= kLongestMs / 1000) wait_ms = *seconds * 1000;
  } else if (auto at_ms = parse_imf_fixdate(text)) {
    wait_ms = std::max<int64_t>(0, *at_ms - now_ms);
  }
  if (wait_ms && *wait_ms > kLongestMs) return std::nullopt;
  return wait_ms;
}

}  // namespace jirasync
