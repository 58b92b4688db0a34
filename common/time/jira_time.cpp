#include "common/time/jira_time.hpp"

#include <chrono>
#include <cstdio>

#include <date/date.h>
#include <date/tz.h>

namespace jirasync {
namespace {

using std::chrono::milliseconds;

[[noreturn]] void fail(std::string_view text, const std::string& why) {
  throw TimeFormatError("invalid Jira timestamp '" + std::string(text) + "': " + why);
}

// Reads exactly `n` ASCII digits at `pos`, advancing it.
int read_digits(std::string_view text, size_t& pos, size_t n, const char* what) {
  if (pos + n > text.size()) fail(text, std::string("truncated ") + what);
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') fail(text, std::string("expected digits for ") + what);
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

void expect(std::string_view text, size_t& pos, char c, const char* what) {
  if (pos >= text.size() || text[pos] != c) {
    fail(text, std::string("expected '") + c + "' " + what);
  }
  ++pos;
}

date::year_month_day checked_date(std::string_view text, int y, int m, int d) {
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) fail(text, "no such calendar date");
  return ymd;
}

const date::time_zone* find_zone(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::runtime_error&) {
    throw TimeFormatError("unknown time zone '" + zone + "'");
  }
}

}  // namespace

int64_t parse_jira_time(std::string_view text) {
  size_t pos = 0;
  int year = read_digits(text, pos, 4, "year");
  expect(text, pos, '-', "after the year");
  int month = read_digits(text, pos, 2, "month");
  expect(text, pos, '-', "after the month");
  int day = read_digits(text, pos, 2, "day");
  auto days = date::sys_days{checked_date(text, year, month, day)};
  if (pos == text.size()) {
    return std::chrono::duration_cast<milliseconds>(days.time_since_epoch()).count();
  }

  expect(text, pos, 'T', "between date and time");
  int hour = read_digits(text, pos, 2, "hour");
  expect(text, pos, ':', "after the hour");
  int minute = read_digits(text, pos, 2, "minute");
  expect(text, pos, ':', "after the minute");
  int second = read_digits(text, pos, 2, "second");
  if (hour > 23 || minute > 59 || second > 59) fail(text, "time of day out of range");

  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    size_t digits = pos - start;
    if (digits == 0) fail(text, "empty fraction of a second");
    if (digits > 9) fail(text, "more than 9 fraction digits");
    // Digits past the millisecond are truncated (floor), as Jira stores ms.
    for (size_t i = 0; i < 3; ++i) {
      millis = millis * 10 + (i < digits ? text[start + i] - '0' : 0);
    }
  }

  if (pos == text.size()) fail(text, "missing UTC offset (Z, +hhmm or +hh:mm)");
  int offset_minutes = 0;
  char sign = text[pos++];
  if (sign == 'Z') {
    offset_minutes = 0;
  } else if (sign == '+' || sign == '-') {
    int oh = read_digits(text, pos, 2, "offset hours");
    if (pos < text.size() && text[pos] == ':') ++pos;
    int om = read_digits(text, pos, 2, "offset minutes");
    if (oh > 18 || om > 59) fail(text, "UTC offset out of range");
    offset_minutes = (sign == '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    fail(text, "expected Z, + or - for the UTC offset");
  }
  if (pos != text.size()) fail(text, "unexpected text after the UTC offset");

  auto local = days + std::chrono::hours{hour} + std::chrono::minutes{minute} +
               std::chrono::seconds{second} + milliseconds{millis};
  auto utc = local - std::chrono::minutes{offset_minutes};
  return std::chrono::duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

std::string format_jira_time(int64_t ms, const std::string& iana_zone) {
  const date::time_zone* zone = find_zone(iana_zone);
  date::sys_time<milliseconds> instant{milliseconds{ms}};
  auto info = zone->get_info(date::floor<std::chrono::seconds>(instant));
  auto local = instant + info.offset;
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  date::hh_mm_ss<milliseconds> tod{local - day};

  int64_t offset_min = std::chrono::duration_cast<std::chrono::minutes>(info.offset).count();
  char sign = offset_min < 0 ? '-' : '+';
  if (offset_min < 0) offset_min = -offset_min;

  const int year = static_cast<int>(ymd.year());
  const int offset_hours = static_cast<int>(offset_min / 60);
  if (year >= 0 && year <= 9999 && offset_hours < 100) {
    // What the snprintf below writes, without its format parsing (a page of
    // the Jira-compatible API formats ~800 timestamps).
    char out[32];  // 28 used
    char* p = out;
    auto digits = [&p](int value, int width) {
      for (int i = width - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
      p += width;
    };
    digits(year, 4);
    *p++ = '-';
    digits(static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
    *p++ = '-';
    digits(static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
    *p++ = 'T';
    digits(static_cast<int>(tod.hours().count()), 2);
    *p++ = ':';
    digits(static_cast<int>(tod.minutes().count()), 2);
    *p++ = ':';
    digits(static_cast<int>(tod.seconds().count()), 2);
    *p++ = '.';
    digits(static_cast<int>(tod.subseconds().count()), 3);
    *p++ = sign;
    digits(offset_hours, 2);
    digits(static_cast<int>(offset_min % 60), 2);
    return std::string(out, static_cast<size_t>(p - out));
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d%c%02d%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()), sign, static_cast<int>(offset_min / 60),
                static_cast<int>(offset_min % 60));
  return buf;
}

int64_t zoned_local_to_utc_ms(int year, int month, int day, int hour, int minute, int second,
                              const std::string& zone_name) {
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d", year, month, day, hour, minute,
                second);
  if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
    fail(text, "date out of range");
  }
  auto days = date::local_days{checked_date(text, year, month, day)};
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    fail(text, "time of day out of range");
  }
  const date::time_zone* zone = find_zone(zone_name);
  auto local =
      days + std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
  auto info = zone->get_info(local);
  // unique and ambiguous: `first` is the offset in force before any transition,
  // giving the earlier instant; nonexistent: the pre-gap offset lands the
  // instant just as far past the transition as the wall time was inside the gap.
  auto utc = local.time_since_epoch() - info.first.offset;
  return std::chrono::duration_cast<milliseconds>(utc).count();
}

}  // namespace jirasync
