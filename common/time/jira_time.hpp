#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jirasync {

// A timestamp or zone that cannot be read. The message quotes the bad text; the
// issue parser wraps it into a PayloadError naming the JSON field.
class TimeFormatError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Reads every form Jira Cloud v3 renders, to UTC epoch milliseconds:
//   "2024-03-05T10:15:30.123+0100", "...+01:00", "...Z", without the fraction,
//   with 1..9 fraction digits (digits past milliseconds are truncated), and the
//   date-only "2024-03-05" (midnight UTC, as Jira's date fields such as duedate).
// A date-time without an offset is rejected: Jira would read it in the account
// zone, which is exactly the ambiguity this project refuses.
int64_t parse_jira_time(std::string_view text);

// Jira's rendering of an instant in a zone: "2025-01-02T10:30:00.000-0500".
// Throws TimeFormatError for an unknown IANA zone.
std::string format_jira_time(int64_t ms, const std::string& iana_zone = "UTC");

// The UTC instant of a wall-clock time in an IANA zone. Resolves like
// java.time (what Jira runs on): a time inside a DST gap moves forward by the
// gap (02:30 on a spring-forward night in New York is 03:30 EDT), an ambiguous
// time inside a fall-back overlap takes the earlier instant. Throws
// TimeFormatError for out-of-range fields or an unknown zone.
int64_t zoned_local_to_utc_ms(int year, int month, int day, int hour, int minute, int second,
                              const std::string& zone);

}  // namespace jirasync
