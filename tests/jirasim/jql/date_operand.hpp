#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/jirasim/jql/account_zone.hpp"

namespace jirasim::jql {

// "2025/01/02 10:30", "2025-01-02": a wall-clock time in the account zone.
struct LocalDateTime {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  bool has_time = false;
};

// "-4w 2d", "+1M": signed amounts per unit.
struct Period {
  int64_t years = 0;
  int64_t months = 0;
  int64_t weeks = 0;
  int64_t days = 0;
  int64_t hours = 0;
  int64_t minutes = 0;
};

enum class DateFunction {
  Now,
  StartOfDay,
  EndOfDay,
  StartOfWeek,
  EndOfWeek,
  StartOfMonth,
  EndOfMonth,
  StartOfYear,
  EndOfYear,
};

// The instants a date operand stands for, both ends inclusive. A bare date is
// its whole local day, a bare date-time its whole minute (Jira's precision);
// everything else is one instant.
struct TimeRange {
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  bool contains(int64_t ms) const { return ms >= first_ms && ms <= last_ms; }
};

// A date value checked at parse time and turned into instants per evaluation,
// because bare dates depend on the account zone and relative ones on "now".
struct DateOperand {
  enum class Kind { Local, EpochMs, Relative, Function };
  Kind kind = Kind::EpochMs;
  LocalDateTime local;
  int64_t epoch_ms = 0;
  Period period;  // Relative: the offset; Function: the optional increment
  DateFunction function = DateFunction::Now;

  // Zone-independent operands (epoch ms) need neither zone nor clock.
  bool needs_zone() const { return kind != Kind::EpochMs; }
};

std::optional<LocalDateTime> parse_local_date_time(std::string_view text);
// default_unit: unit of a bare number ("-1" in startOfDay(-1)); 0 = a unit is required.
std::optional<Period> parse_period(std::string_view text, char default_unit);

// A value written for a date field. Throws JqlError with Jira's message naming `field`.
DateOperand date_operand_from_value(std::string_view value, std::string_view field);

// Date functions by name (case-insensitive); nullopt when `name` is none of them.
std::optional<DateFunction> find_date_function(std::string_view name);
// Checks the arguments of a date function. Throws JqlError.
DateOperand date_operand_from_function(DateFunction fn, std::string_view name,
                                       const std::vector<std::string>& arguments);

// zone may be null only for operands that do not need_zone().
TimeRange resolve_date(const DateOperand& operand, int64_t now_ms, const AccountZone* zone);

}  // namespace jirasim::jql
