#include "services/scheduler/cron_schedule.hpp"

#include <date/tz.h>

#include <sstream>
#include <vector>

namespace jirasync {
namespace {

const char* const kFieldNames[] = {"minute", "hour", "day of month", "month", "day of week"};
constexpr int kMonthField = 3;
constexpr int kWeekdayField = 4;
// crontab(5) names, in any case: months from 1, weekdays from 0 (Sunday).
const char* const kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
const char* const kWeekdayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

// The shorthands crontab(5) offers (all but @reboot, which has no time).
const char* shorthand_expansion(const std::string& name) {
  static const std::pair<const char*, const char*> kShorthands[] = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
      {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
      {"@hourly", "0 * * * *"}};
  for (const auto& [shorthand, expansion] : kShorthands)
    if (name == shorthand) return expansion;
  return nullptr;
}

// The value of a month or weekday name in its field; -1 when `s` is none.
int name_value(const std::string& s, int field) {
  std::string upper = s;
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (field == kMonthField) {
    for (int i = 0; i < 12; ++i)
      if (upper == kMonthNames[i]) return i + 1;
  } else if (field == kWeekdayField) {
    for (int i = 0; i < 7; ++i)
      if (upper == kWeekdayNames[i]) return i;
  }
  return -1;
}

template <size_t N>
void parse_field(const std::string& text, int lo, int hi, int field, std::bitset<N>& out) {
  auto fail = [&](const std::string& why) {
    throw CronError(std::string("cron ") + kFieldNames[field] + " field '" + text + "': " + why);
  };
  auto number = [&](const std::string& s) {
    if (const int named = name_value(s, field); named >= 0) return named;
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
      fail("'" + s + "' is not a number" +
           (field == kMonthField     ? " or a month name (JAN-DEC)"
            : field == kWeekdayField ? " or a weekday name (SUN-SAT)"
                                     : ""));
    const int v = std::stoi(s);
    if (v < lo || v > hi) fail(s + " is outside " + std::to_string(lo) + "-" + std::to_string(hi));
    return v;
  };
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    int step = 1;
    if (auto slash = part.find('/'); slash != std::string::npos) {
      const std::string s = part.substr(slash + 1);
      if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || std::stoi(s) == 0)
        fail("bad step '" + s + "'");
      step = std::stoi(s);
      part = part.substr(0, slash);
    }
    int from = lo, to = hi;
    if (part != "*") {
      if (auto dash = part.find('-'); dash != std::string::npos) {
        from = number(part.substr(0, dash));
        to = number(part.substr(dash + 1));
        if (from > to) fail("range " + part + " runs backwards");
      } else {
        from = number(part);
        to = step > 1 ? hi : from;
      }
    }
    for (int v = from; v <= to; v += step) out.set(static_cast<size_t>(v));
  }
  if (out.none()) fail("matches nothing");
}

}  // namespace

CronSchedule CronSchedule::parse(const std::string& expr, const std::string& time_zone) {
  std::istringstream in(expr);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (!fields.empty() && fields[0].starts_with("@")) {
    const char* expansion = fields.size() == 1 ? shorthand_expansion(fields[0]) : nullptr;
    if (expansion == nullptr)
      throw CronError("cron '" + expr +
                      "': expected @hourly, @daily, @midnight, @weekly, @monthly, @yearly or "
                      "@annually, alone");
    CronSchedule c = parse(expansion, time_zone);
    c.expr_ = expr;
    return c;
  }
  if (fields.size() != 5)
    throw CronError("cron '" + expr + "': expected 5 fields (minute hour day month weekday), got " +
                    std::to_string(fields.size()));
  CronSchedule c;
  c.expr_ = expr;
  try {
    (void)date::locate_zone(time_zone);
  } catch (const std::exception&) {
    throw CronError("unknown time zone '" + time_zone + "'");
  }
  c.zone_ = time_zone;
  parse_field(fields[0], 0, 59, 0, c.minutes_);
  parse_field(fields[1], 0, 23, 1, c.hours_);
  parse_field(fields[2], 1, 31, 2, c.mdays_);
  parse_field(fields[3], 1, 12, 3, c.months_);
  parse_field(fields[4], 0, 7, 4, c.wdays_);
  if (c.wdays_.test(7)) c.wdays_.set(0);  // 7 is Sunday too
  c.mday_any_ = fields[2] == "*";
  c.wday_any_ = fields[4] == "*";
  return c;
}

bool CronSchedule::matches_day(int mday, int month, int wday) const {
  if (!months_.test(static_cast<size_t>(month))) return false;
  // Classic cron: when both day fields are restricted, either may match.
  const bool md = mdays_.test(static_cast<size_t>(mday));
  const bool wd = wdays_.test(static_cast<size_t>(wday));
  if (!mday_any_ && !wday_any_) return md || wd;
  return md && wd;
}

int64_t CronSchedule::next_after(int64_t after_ms) const {
  using namespace std::chrono;
  const auto* zone = date::locate_zone(zone_);
  // Walk forward minute by minute in UTC, checking the local wall time; skip
  // whole hours and days that cannot match. A year bounds the search.
  auto t = floor<minutes>(sys_time<milliseconds>(milliseconds(after_ms))) + minutes(1);
  const auto limit = t + days(366 * 5);
  while (t < limit) {
    const auto local = zone->to_local(t);
    const auto local_day = floor<days>(local);
    const date::year_month_day ymd{local_day};
    const date::weekday wd{local_day};
    const auto tod = date::make_time(local - local_day);
    const int hour = static_cast<int>(tod.hours().count());
    const int minute = static_cast<int>(tod.minutes().count());
    if (!matches_day(static_cast<int>(static_cast<unsigned>(ymd.day())),
                     static_cast<int>(static_cast<unsigned>(ymd.month())),
                     static_cast<int>(wd.c_encoding()))) {
      t += minutes(60 - minute) + hours(23 - hour);  // to the next local midnight (approx. on DST)
      continue;
    }
    if (!hours_.test(static_cast<size_t>(hour))) {
      t += minutes(60 - minute);
      continue;
    }
    if (minutes_.test(static_cast<size_t>(minute)))
      return duration_cast<milliseconds>(t.time_since_epoch()).count();
    t += minutes(1);
  }
  throw CronError("cron '" + expr_ + "' never fires");
}

}  // namespace jirasync
