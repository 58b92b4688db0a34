#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// The instants a date operand stands for, both ends inclusive: a bare date is
// its whole day in the account's zone, a bare date-time its whole minute
// (Jira's precision), anything else one instant.
struct JqlInstantRange {
  int64_t first_ms = 0;
  int64_t last_ms = 0;
};

// How Jira reads a value written for a date field, given the account's IANA
// time zone and the clock's "now":
//  - digits: epoch milliseconds;
//  - yyyy/MM/dd, yyyy-MM-dd, optionally followed by HH:mm: a wall-clock time in
//    the zone (a time inside a DST gap moves forward, an ambiguous one takes
//    the earlier instant, as java.time does);
//  - a period such as -7d, "4w 2d", +1M, -1y, 30m: now plus the period, where
//    y and M move the wall clock and w, d, h, m are fixed lengths.
// Throws JqlError (kInvalid) with Jira's message naming `field`.
JqlInstantRange resolve_date_value(std::string_view value, std::string_view field,
                                   const std::string& zone, int64_t now_ms);

// now(), startOfDay/Week/Month/Year and endOf... with Jira's optional increment
// ("-1", "+2w", "-1d"; a bare number counts the function's own unit), in the zone.
// Weeks start on Sunday (Jira's default locale). Returns false when `name` is no
// date function; throws JqlError (kInvalid) for bad arguments.
bool resolve_date_function(std::string_view name, const std::vector<std::string>& arguments,
                           const std::string& zone, int64_t now_ms, JqlInstantRange& out);

// The calendar day (yyyy-MM-dd) an instant falls on in the zone, and the first
// instant of a calendar day there: for date-only fields such as duedate.
std::string local_date_of(int64_t ms, const std::string& zone);
int64_t start_of_local_date(const std::string& yyyy_mm_dd, const std::string& zone);

// Throws JqlError (kInvalid) naming the zone when the time zone database does
// not know it.
void check_time_zone(const std::string& zone);

}  // namespace jirasync
