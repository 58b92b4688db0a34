#include "common/jql/jql_date.hpp"

#include <gtest/gtest.h>

#include "common/jql/jql_error.hpp"

namespace jirasync {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
// 2025-01-01T00:00:00Z
constexpr int64_t kNewYear = 1'735'689'600'000;

TEST(JqlDate, BareDatesAreWholeDaysOfTheAccountZone) {
  const auto utc = resolve_date_value("2025-01-01", "created", "UTC", 0);
  EXPECT_EQ(utc.first_ms, kNewYear);
  EXPECT_EQ(utc.last_ms, kNewYear + kDay - 1);
  // UTC-8 (Los Angeles in winter) starts the day 8 hours later, UTC+9 (Tokyo) 9 hours earlier.
  EXPECT_EQ(resolve_date_value("2025/01/01", "created", "America/Los_Angeles", 0).first_ms,
            kNewYear + 8 * kHour);
  EXPECT_EQ(resolve_date_value("2025-01-01", "created", "Asia/Tokyo", 0).first_ms,
            kNewYear - 9 * kHour);
  const auto minute = resolve_date_value("2025-01-01 10:30", "created", "Asia/Tokyo", 0);
  EXPECT_EQ(minute.first_ms, kNewYear + kHour + 30 * 60'000);
  EXPECT_EQ(minute.last_ms - minute.first_ms, 59'999);
}

TEST(JqlDate, ATimeInsideADstGapMovesForward) {
  // 2025-03-09 02:30 does not exist in New York; java.time reads it as 03:30 EDT = 07:30Z.
  const int64_t march9 = kNewYear + 67 * kDay;
  EXPECT_EQ(resolve_date_value("2025-03-09 02:30", "created", "America/New_York", 0).first_ms,
            march9 + 7 * kHour + 30 * 60'000);
}

TEST(JqlDate, PeriodsCountFromNow) {
  const int64_t now = kNewYear + 5 * kHour;
  EXPECT_EQ(resolve_date_value("-7d", "updated", "UTC", now).first_ms, now - 7 * kDay);
  EXPECT_EQ(resolve_date_value("-4w 2d", "updated", "UTC", now).first_ms, now - 30 * kDay);
  EXPECT_EQ(resolve_date_value("4h", "updated", "UTC", now).first_ms, now + 4 * kHour);
  EXPECT_EQ(resolve_date_value("-1M", "updated", "UTC", now).first_ms, now - 31 * kDay);
  EXPECT_EQ(resolve_date_value("1735689600000", "updated", "Nowhere/Zone", 0).first_ms, kNewYear);
}

TEST(JqlDate, FunctionsUseTheZoneAndSundayWeeks) {
  const int64_t now = kNewYear + 5 * kHour;  // Wednesday 2025-01-01 05:00Z
  JqlInstantRange r;
  ASSERT_TRUE(resolve_date_function("startOfDay", {}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, kNewYear);
  ASSERT_TRUE(resolve_date_function("startOfDay", {}, "America/Los_Angeles", now, r));
  EXPECT_EQ(r.first_ms, kNewYear - kDay + 8 * kHour);  // still Dec 31 there
  ASSERT_TRUE(resolve_date_function("startOfWeek", {}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, kNewYear - 3 * kDay);  // Sunday Dec 29
  ASSERT_TRUE(resolve_date_function("endOfDay", {"-1"}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, kNewYear - 1);
  ASSERT_TRUE(resolve_date_function("startOfMonth", {"+1"}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, kNewYear + 31 * kDay);
  ASSERT_TRUE(resolve_date_function("startOfYear", {"-1y"}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, kNewYear - 366 * kDay);  // 2024 was a leap year
  ASSERT_TRUE(resolve_date_function("now", {}, "UTC", now, r));
  EXPECT_EQ(r.first_ms, now);
  EXPECT_FALSE(resolve_date_function("membersOf", {}, "UTC", now, r));
}

TEST(JqlDate, EndOfNextMonthIsItsLastDay) {
  // From February, endOfMonth(+1) is the end of March (31 days), not March 28.
  const int64_t feb10 = kNewYear + 40 * kDay;
  JqlInstantRange r;
  ASSERT_TRUE(resolve_date_function("endOfMonth", {"+1"}, "UTC", feb10, r));
  EXPECT_EQ(r.first_ms, kNewYear + 90 * kDay - 1);  // 2025-03-31T23:59:59.999Z
}

TEST(JqlDate, UnknownZoneIsNamed) {
  try {
    resolve_date_value("2025-01-01", "created", "Mars/Olympus", 0);
    FAIL();
  } catch (const JqlError& e) {
    EXPECT_NE(std::string(e.what()).find("Mars/Olympus"), std::string::npos);
  }
}

}  // namespace
}  // namespace jirasync
