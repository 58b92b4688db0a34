#include "common/jql/jql_date.hpp"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "common/jql/jql_error.hpp"

namespace jirasync {
namespace {

using std::chrono::milliseconds;
using LocalMs = date::local_time<milliseconds>;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Whole calendar spans a query may move by; beyond these the arithmetic of
// the date library would overflow, and no issue lives there.
constexpr int64_t kMaxYears = 10'000;
constexpr int64_t kMaxMs = 400LL * 365 * kDay * 100;  // about 40,000 years

const date::time_zone* zone_of(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    throw JqlError(JqlError::Kind::kInvalid, "The time zone '" + name +
                                                 "' is unknown (set jira.account_time_zone to an "
                                                 "IANA zone such as Europe/Berlin).");
  }
}

LocalMs to_local(const date::time_zone* zone, int64_t ms) {
  const date::sys_time<milliseconds> t{milliseconds{ms}};
  return LocalMs{
      (t + zone->get_info(date::floor<std::chrono::seconds>(t)).offset).time_since_epoch()};
}

// java.time's resolution: inside a gap the offset before the gap (so the
// instant moves forward by the gap); in an overlap the earlier offset.
int64_t to_utc(const date::time_zone* zone, LocalMs local) {
  const auto info = zone->get_info(date::floor<std::chrono::seconds>(local));
  return (local.time_since_epoch() - info.first.offset).count();
}

LocalMs add_months(LocalMs t, int64_t months) {
  if (months == 0) return t;
  const auto day = date::floor<date::days>(t);
  const auto time_of_day = t - day;
  const date::year_month_day ymd{day};
  const int64_t total =
      static_cast<int>(ymd.year()) * 12LL + (static_cast<unsigned>(ymd.month()) - 1) + months;
  const int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  const unsigned month = static_cast<unsigned>(total - year * 12) + 1;
  const date::year_month ym{date::year{static_cast<int>(year)}, date::month{month}};
  const date::day last = (ym / date::last).day();
  const date::day d = ymd.day() > last ? last : ymd.day();
  return LocalMs{date::local_days{ym / d}} + time_of_day;
}

struct Period {
  int64_t months = 0;  // years count 12
  int64_t days = 0;    // weeks count 7
  int64_t ms = 0;      // hours and minutes
};

[[noreturn]] void bad_date(std::string_view value, std::string_view field) {
  throw JqlError(JqlError::Kind::kInvalid,
                 "Date value '" + std::string(value) + "' for field '" + std::string(field) +
                     "' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', "
                     "'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
}

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// "-4w 2d": the sign applies to every part. `bare_unit` is the unit of a number
// without one (0: a unit is required).
std::optional<Period> read_period(std::string_view s, char bare_unit) {
  size_t i = 0;
  int64_t sign = 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
  Period p;
  bool any = false;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    if (!digit(s[i])) return std::nullopt;
    int64_t n = 0;
    int count = 0;
    while (i < s.size() && digit(s[i])) {
      if (++count > 7) return std::nullopt;  // past 10 million units nothing is meaningful
      n = n * 10 + (s[i++] - '0');
    }
    const char unit = i < s.size() && s[i] != ' ' ? s[i++] : bare_unit;
    n *= sign;
    switch (unit) {
      case 'y':
        p.months += 12 * n;
        break;
      case 'M':
        p.months += n;
        break;
      case 'w':
        p.days += 7 * n;
        break;
      case 'd':
        p.days += n;
        break;
      case 'h':
        p.ms += n * kHour;
        break;
      case 'm':
        p.ms += n * kMinute;
        break;
      default:
        return std::nullopt;
    }
    any = true;
  }
  if (!any || p.months > 12 * kMaxYears || p.months < -12 * kMaxYears) return std::nullopt;
  return p;
}

struct WallTime {
  int year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0;
  bool has_time = false;
};

std::optional<int> read_int(std::string_view s, size_t& i, size_t min, size_t max) {
  const size_t start = i;
  int v = 0;
  while (i < s.size() && digit(s[i]) && i - start < max) v = v * 10 + (s[i++] - '0');
  if (i - start < min || (i < s.size() && digit(s[i]))) return std::nullopt;
  return v;
}

std::optional<WallTime> read_wall_time(std::string_view s) {
  size_t i = 0;
  WallTime w;
  const auto year = read_int(s, i, 4, 4);
  if (!year || i >= s.size() || (s[i] != '-' && s[i] != '/')) return std::nullopt;
  const char sep = s[i++];
  const auto month = read_int(s, i, 1, 2);
  if (!month || i >= s.size() || s[i] != sep) return std::nullopt;
  ++i;
  const auto day = read_int(s, i, 1, 2);
  if (!day) return std::nullopt;
  w.year = *year;
  w.month = static_cast<unsigned>(*month);
  w.day = static_cast<unsigned>(*day);
  if (!date::year_month_day{date::year{w.year}, date::month{w.month}, date::day{w.day}}.ok()) {
    return std::nullopt;
  }
  if (i == s.size()) return w;
  if (s[i] != ' ') return std::nullopt;
  while (i < s.size() && s[i] == ' ') ++i;
  const auto hour = read_int(s, i, 1, 2);
  if (!hour || i >= s.size() || s[i] != ':') return std::nullopt;
  ++i;
  const auto minute = read_int(s, i, 2, 2);
  if (!minute || i != s.size() || *hour > 23 || *minute > 59) return std::nullopt;
  w.hour = *hour;
  w.minute = *minute;
  w.has_time = true;
  return w;
}

LocalMs local_of(const WallTime& w) {
  return LocalMs{date::local_days{date::year{w.year} / date::month{w.month} / date::day{w.day}}} +
         std::chrono::hours{w.hour} + std::chrono::minutes{w.minute};
}

int64_t clamp_ms(int64_t v) {
  return v > kMaxMs ? kMaxMs : v < -kMaxMs ? -kMaxMs : v;
}

}  // namespace

void check_time_zone(const std::string& zone) {
  (void)zone_of(zone);
}

JqlInstantRange resolve_date_value(std::string_view value, std::string_view field,
                                   const std::string& zone_name, int64_t now_ms) {
  bool all_digits = !value.empty();
  for (size_t i = 0; i < value.size(); ++i) {
    if (!digit(value[i]) && !(i == 0 && value[i] == '-' && value.size() > 1)) all_digits = false;
  }
  if (all_digits) {
    if (value.size() > 15) bad_date(value, field);
    const int64_t ms = std::stoll(std::string(value));
    return {ms, ms};
  }
  const date::time_zone* zone = zone_of(zone_name);
  if (const auto wall = read_wall_time(value)) {
    const LocalMs start = local_of(*wall);
    const LocalMs end = wall->has_time ? start + std::chrono::minutes{1} : start + date::days{1};
    return {to_utc(zone, start), to_utc(zone, end) - 1};
  }
  if (const auto p = read_period(value, 0)) {
    int64_t t = now_ms;
    if (p->months != 0) t = to_utc(zone, add_months(to_local(zone, now_ms), p->months));
    t = clamp_ms(t + p->days * kDay + p->ms);
    return {t, t};
  }
  bad_date(value, field);
}

bool resolve_date_function(std::string_view name, const std::vector<std::string>& arguments,
                           const std::string& zone_name, int64_t now_ms, JqlInstantRange& out) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const bool start = lower.rfind("startof", 0) == 0;
  const bool end = lower.rfind("endof", 0) == 0;
  const std::string unit_name = start ? lower.substr(7) : end ? lower.substr(5) : "";
  char unit = 0;
  if (unit_name == "day") unit = 'd';
  if (unit_name == "week") unit = 'w';
  if (unit_name == "month") unit = 'M';
  if (unit_name == "year") unit = 'y';
  if (lower != "now" && unit == 0) return false;

  const std::string shown(name);
  if (lower == "now" && !arguments.empty()) {
    throw JqlError(JqlError::Kind::kInvalid, "Function '" + shown +
                                                 "' expected '0' arguments but got '" +
                                                 std::to_string(arguments.size()) + "'.");
  }
  if (arguments.size() > 1) {
    throw JqlError(JqlError::Kind::kInvalid,
                   "Function '" + shown + "' expected between '0' and '1' arguments but got '" +
                       std::to_string(arguments.size()) + "'.");
  }
  if (lower == "now") {
    out = {now_ms, now_ms};
    return true;
  }
  Period p;
  if (!arguments.empty()) {
    const auto read = read_period(arguments[0], unit);
    if (!read) {
      throw JqlError(JqlError::Kind::kInvalid,
                     "Duration for function '" + shown +
                         "' should have the format (+/-)n(yMwdhm), e.g -1M for 1 month earlier.");
    }
    p = *read;
  }
  const date::time_zone* zone = zone_of(zone_name);
  const LocalMs now_local = to_local(zone, now_ms);
  const date::local_days today = date::floor<date::days>(now_local);
  const date::year_month_day ymd{today};
  // The first day of the period that holds "now", and the first day of the next.
  date::local_days first = today, next = today + date::days{1};
  if (unit == 'w') {
    first = today - date::days{date::weekday{today}.c_encoding()};
    next = first + date::days{7};
  } else if (unit == 'M') {
    first = date::local_days{ymd.year() / ymd.month() / 1};
    next = date::local_days{(ymd.year() / ymd.month() + date::months{1}) / 1};
  } else if (unit == 'y') {
    first = date::local_days{ymd.year() / 1 / 1};
    next = date::local_days{(ymd.year() + date::years{1}) / 1 / 1};
  }
  // The increment moves the boundary on the wall clock; hours and minutes are fixed time.
  LocalMs boundary = LocalMs{start ? first : next};
  boundary = add_months(boundary, p.months) + date::days{p.days};
  int64_t t = to_utc(zone, boundary);
  if (end) t -= 1;  // the last millisecond of the period
  out.first_ms = out.last_ms = clamp_ms(t + p.ms);
  return true;
}

std::string local_date_of(int64_t ms, const std::string& zone_name) {
  const date::year_month_day ymd{date::floor<date::days>(to_local(zone_of(zone_name), ms))};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

int64_t start_of_local_date(const std::string& yyyy_mm_dd, const std::string& zone_name) {
  const auto w = read_wall_time(yyyy_mm_dd);
  if (!w) return 0;
  return to_utc(zone_of(zone_name), local_of(*w));
}

}  // namespace jirasync
