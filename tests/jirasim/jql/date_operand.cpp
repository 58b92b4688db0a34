#include "tests/jirasim/jql/date_operand.hpp"

#include <chrono>

#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads 1..max_digits digits at `pos`.
std::optional<int> read_number(std::string_view s, size_t& pos, size_t min_digits,
                               size_t max_digits) {
  size_t start = pos;
  int v = 0;
  while (pos < s.size() && is_digit(s[pos]) && pos - start < max_digits) {
    v = v * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos - start < min_digits) return std::nullopt;
  if (pos < s.size() && is_digit(s[pos])) return std::nullopt;  // too many digits
  return v;
}

LocalMs to_local_ms(const LocalDateTime& l) {
  const date::local_days day{date::year{l.year} / l.month / l.day};
  return LocalMs{day} + hours{l.hour} + minutes{l.minute};
}

// Adds whole calendar months, clamping the day like java.util.Calendar does.
LocalMs add_months(LocalMs local, int64_t months) {
  if (months == 0) return local;
  const auto day = date::floor<days>(local);
  const auto time_of_day = local - day;
  const date::year_month_day ymd{day};
  const date::year_month ym =
      date::year_month{ymd.year(), ymd.month()} + date::months{static_cast<int>(months)};
  const date::day last =
      date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
  const date::day d = ymd.day() > last ? last : ymd.day();
  return LocalMs{date::local_days{ym.year() / ym.month() / d}} + time_of_day;
}

char natural_unit(DateFunction fn) {
  switch (fn) {
    case DateFunction::StartOfDay:
    case DateFunction::EndOfDay:
      return 'd';
    case DateFunction::StartOfWeek:
    case DateFunction::EndOfWeek:
      return 'w';
    case DateFunction::StartOfMonth:
    case DateFunction::EndOfMonth:
      return 'M';
    case DateFunction::StartOfYear:
    case DateFunction::EndOfYear:
      return 'y';
    case DateFunction::Now:
      return 0;
  }
  return 0;
}

// The period boundary of `fn` around local time `now`.
LocalMs boundary(DateFunction fn, LocalMs now) {
  const auto day = date::floor<days>(now);
  const date::year_month_day ymd{day};
  const milliseconds last_ms_of_day = days{1} - milliseconds{1};
  switch (fn) {
    case DateFunction::Now:
      return now;
    case DateFunction::StartOfDay:
      return LocalMs{day};
    case DateFunction::EndOfDay:
      return LocalMs{day} + last_ms_of_day;
    case DateFunction::StartOfWeek:
    case DateFunction::EndOfWeek: {
      // Weeks start on Sunday, as for Jira's default (en_US) locale.
      const auto start = day - days{date::weekday{day}.c_encoding()};
      return fn == DateFunction::StartOfWeek ? LocalMs{start}
                                             : LocalMs{start + days{6}} + last_ms_of_day;
    }
    case DateFunction::StartOfMonth:
      return LocalMs{date::local_days{ymd.year() / ymd.month() / 1}};
    case DateFunction::EndOfMonth:
      return LocalMs{date::local_days{ymd.year() / ymd.month() / date::last}} + last_ms_of_day;
    case DateFunction::StartOfYear:
      return LocalMs{date::local_days{ymd.year() / 1 / 1}};
    case DateFunction::EndOfYear:
      return LocalMs{date::local_days{ymd.year() / 12 / 31}} + last_ms_of_day;
  }
  return now;
}

bool is_end(DateFunction fn) {
  return fn == DateFunction::EndOfDay || fn == DateFunction::EndOfWeek ||
         fn == DateFunction::EndOfMonth || fn == DateFunction::EndOfYear;
}

// The start-of function of an end-of function's period.
DateFunction start_of(DateFunction fn) {
  switch (fn) {
    case DateFunction::EndOfDay:
      return DateFunction::StartOfDay;
    case DateFunction::EndOfWeek:
      return DateFunction::StartOfWeek;
    case DateFunction::EndOfMonth:
      return DateFunction::StartOfMonth;
    case DateFunction::EndOfYear:
      return DateFunction::StartOfYear;
    default:
      return fn;
  }
}

[[noreturn]] void invalid_date(std::string_view value, std::string_view field) {
  throw JqlError("Date value '" + std::string(value) + "' for field '" + std::string(field) +
                 "' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', "
                 "'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
}

}  // namespace

std::optional<LocalDateTime> parse_local_date_time(std::string_view s) {
  LocalDateTime l;
  size_t pos = 0;
  auto year = read_number(s, pos, 4, 4);
  if (!year || pos >= s.size() || (s[pos] != '/' && s[pos] != '-')) return std::nullopt;
  const char sep = s[pos++];
  auto month = read_number(s, pos, 1, 2);
  if (!month || pos >= s.size() || s[pos] != sep) return std::nullopt;
  ++pos;
  auto day = read_number(s, pos, 1, 2);
  if (!day) return std::nullopt;
  l.year = *year;
  l.month = *month;
  l.day = *day;
  if (pos < s.size()) {
    if (s[pos] != ' ') return std::nullopt;
    while (pos < s.size() && s[pos] == ' ') ++pos;
    auto hour = read_number(s, pos, 1, 2);
    if (!hour || pos >= s.size() || s[pos] != ':') return std::nullopt;
    ++pos;
    auto minute = read_number(s, pos, 2, 2);
    if (!minute || pos != s.size()) return std::nullopt;
    if (*hour > 23 || *minute > 59) return std::nullopt;
    l.hour = *hour;
    l.minute = *minute;
    l.has_time = true;
  }
  const date::year_month_day ymd{date::year{l.year}, date::month{static_cast<unsigned>(l.month)},
                                 date::day{static_cast<unsigned>(l.day)}};
  if (!ymd.ok()) return std::nullopt;
  return l;
}

std::optional<Period> parse_period(std::string_view s, char default_unit) {
  Period p;
  size_t pos = 0;
  int64_t sign = 1;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) {
    sign = s[pos] == '-' ? -1 : 1;
    ++pos;
  }
  bool any = false;
  while (pos < s.size()) {
    while (pos < s.size() && s[pos] == ' ') ++pos;
    if (pos >= s.size()) break;
    if (!is_digit(s[pos])) return std::nullopt;
    int64_t n = 0;
    size_t digits = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (++digits > 9) return std::nullopt;
      n = n * 10 + (s[pos++] - '0');
    }
    char unit = pos < s.size() && s[pos] != ' ' ? s[pos++] : default_unit;
    switch (unit) {
      case 'y':
        p.years += sign * n;
        break;
      case 'M':
        p.months += sign * n;
        break;
      case 'w':
        p.weeks += sign * n;
        break;
      case 'd':
        p.days += sign * n;
        break;
      case 'h':
        p.hours += sign * n;
        break;
      case 'm':
        p.minutes += sign * n;
        break;
      default:
        return std::nullopt;
    }
    any = true;
  }
  if (!any) return std::nullopt;
  return p;
}

DateOperand date_operand_from_value(std::string_view value, std::string_view field) {
  DateOperand o;
  bool digits = !value.empty();
  for (size_t i = 0; i < value.size(); ++i) {
    if (!is_digit(value[i]) && !(i == 0 && value[i] == '-' && value.size() > 1)) digits = false;
  }
  if (digits) {
    if (value.size() > 16) invalid_date(value, field);
    o.kind = DateOperand::Kind::EpochMs;
    o.epoch_ms = std::stoll(std::string(value));
    return o;
  }
  if (auto local = parse_local_date_time(value)) {
    o.kind = DateOperand::Kind::Local;
    o.local = *local;
    return o;
  }
  if (auto period = parse_period(value, 0)) {
    o.kind = DateOperand::Kind::Relative;
    o.period = *period;
    return o;
  }
  invalid_date(value, field);
}

std::optional<DateFunction> find_date_function(std::string_view name) {
  static const std::pair<std::string_view, DateFunction> kFunctions[] = {
      {"now", DateFunction::Now},
      {"startofday", DateFunction::StartOfDay},
      {"endofday", DateFunction::EndOfDay},
      {"startofweek", DateFunction::StartOfWeek},
      {"endofweek", DateFunction::EndOfWeek},
      {"startofmonth", DateFunction::StartOfMonth},
      {"endofmonth", DateFunction::EndOfMonth},
      {"startofyear", DateFunction::StartOfYear},
      {"endofyear", DateFunction::EndOfYear},
  };
  for (const auto& [n, fn] : kFunctions) {
    if (equals_lower(name, n)) return fn;
  }
  return std::nullopt;
}

DateOperand date_operand_from_function(DateFunction fn, std::string_view name,
                                       const std::vector<std::string>& arguments) {
  DateOperand o;
  o.kind = DateOperand::Kind::Function;
  o.function = fn;
  const std::string n(name);
  const size_t max_args = fn == DateFunction::Now ? 0 : 1;
  if (arguments.size() > max_args) {
    if (max_args == 0) {
      throw JqlError("Function '" + n + "' expected '0' arguments but got '" +
                     std::to_string(arguments.size()) + "'.");
    }
    throw JqlError("Function '" + n + "' expected between '0' and '1' arguments but got '" +
                   std::to_string(arguments.size()) + "'.");
  }
  if (!arguments.empty()) {
    auto period = parse_period(arguments[0], natural_unit(fn));
    if (!period) {
      throw JqlError("Duration for function '" + n +
                     "' should have the format (+/-)n(yMwdhm), e.g -1M for 1 month earlier.");
    }
    o.period = *period;
  }
  return o;
}

TimeRange resolve_date(const DateOperand& o, int64_t now_ms, const AccountZone* zone) {
  switch (o.kind) {
    case DateOperand::Kind::EpochMs:
      return {o.epoch_ms, o.epoch_ms};
    case DateOperand::Kind::Local: {
      const LocalMs start = to_local_ms(o.local);
      const int64_t first = zone->to_utc_ms(start);
      // The end is the next wall-clock boundary, so a 23- or 25-hour DST day stays one day.
      const LocalMs next = o.local.has_time ? start + minutes{1} : start + days{1};
      return {first, zone->to_utc_ms(next) - 1};
    }
    case DateOperand::Kind::Relative: {
      // y and M move the wall clock; w, d, h and m are fixed lengths (1d = 24h), as in Jira.
      const Period& p = o.period;
      int64_t t = now_ms;
      if (p.years || p.months) {
        t = zone->to_utc_ms(add_months(zone->to_local(now_ms), p.years * 12 + p.months));
      }
      t += p.weeks * 7 * kDayMs + p.days * kDayMs + p.hours * kHourMs + p.minutes * kMinuteMs;
      return {t, t};
    }
    case DateOperand::Kind::Function: {
      // The increment moves the period boundary on the wall clock (startOfDay(-1d)
      // is yesterday's local midnight even across a DST change).
      const Period& p = o.period;
      const LocalMs now_local = zone->to_local(now_ms);
      LocalMs local = boundary(o.function, now_local);
      const int64_t months = p.years * 12 + p.months;
      if (months != 0 && is_end(o.function)) {
        // The end of the period that many months away: endOfMonth(-1) is the
        // last day of last month, never the 30th of a 31-day month.
        local = boundary(o.function, add_months(boundary(start_of(o.function), now_local), months));
      } else {
        local = add_months(local, months);
      }
      local += days{p.weeks * 7 + p.days};
      int64_t t = o.function == DateFunction::Now && p.years == 0 && p.months == 0 &&
                          p.weeks == 0 && p.days == 0
                      ? now_ms
                      : zone->to_utc_ms(local);
      t += p.hours * kHourMs + p.minutes * kMinuteMs;
      return {t, t};
    }
  }
  return {0, 0};
}

}  // namespace jirasim::jql
