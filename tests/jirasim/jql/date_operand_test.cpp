#include "tests/jirasim/jql/date_operand.hpp"

#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::utc_ms;
constexpr int64_t kLastMs = 23 * 3'600'000LL + 59 * 60'000LL + 59'999;  // 23:59:59.999

// Resolves a date function call written as in JQL, e.g. "startOfDay" with "-1d".
int64_t fn(const std::string& name, const std::vector<std::string>& args, int64_t now,
           const std::string& zone) {
  const auto f = find_date_function(name);
  EXPECT_TRUE(f) << name;
  const AccountZone z(zone);
  const auto range = resolve_date(date_operand_from_function(*f, name, args), now, &z);
  EXPECT_EQ(range.first_ms, range.last_ms);
  return range.first_ms;
}

TimeRange literal(const std::string& value, int64_t now, const std::string& zone) {
  const AccountZone z(zone);
  return resolve_date(date_operand_from_value(value, "updated"), now, &z);
}

const int64_t kNow = utc_ms(2025, 1, 15, 12, 0);  // a Wednesday

TEST(DateFunctions, InUtc) {
  EXPECT_EQ(fn("now", {}, kNow, "UTC"), kNow);
  EXPECT_EQ(fn("startOfDay", {}, kNow, "UTC"), utc_ms(2025, 1, 15));
  EXPECT_EQ(fn("endOfDay", {}, kNow, "UTC"), utc_ms(2025, 1, 15) + kLastMs);
  EXPECT_EQ(fn("startOfWeek", {}, kNow, "UTC"), utc_ms(2025, 1, 12)) << "weeks start on Sunday";
  EXPECT_EQ(fn("endOfWeek", {}, kNow, "UTC"), utc_ms(2025, 1, 18) + kLastMs);
  EXPECT_EQ(fn("startOfMonth", {}, kNow, "UTC"), utc_ms(2025, 1, 1));
  EXPECT_EQ(fn("endOfMonth", {}, kNow, "UTC"), utc_ms(2025, 1, 31) + kLastMs);
  EXPECT_EQ(fn("startOfYear", {}, kNow, "UTC"), utc_ms(2025, 1, 1));
  EXPECT_EQ(fn("endOfYear", {}, kNow, "UTC"), utc_ms(2025, 12, 31) + kLastMs);
  EXPECT_EQ(fn("STARTOFDAY", {}, kNow, "UTC"), utc_ms(2025, 1, 15)) << "names ignore case";
}

TEST(DateFunctions, InLosAngeles) {
  const std::string la = "America/Los_Angeles";  // local now: Jan 15 04:00 PST
  EXPECT_EQ(fn("now", {}, kNow, la), kNow);
  EXPECT_EQ(fn("startOfDay", {}, kNow, la), utc_ms(2025, 1, 15, 8));
  EXPECT_EQ(fn("endOfDay", {}, kNow, la), utc_ms(2025, 1, 15, 8) + 86'400'000 - 1);
  EXPECT_EQ(fn("startOfWeek", {}, kNow, la), utc_ms(2025, 1, 12, 8));
  EXPECT_EQ(fn("endOfWeek", {}, kNow, la), utc_ms(2025, 1, 19, 8) - 1);
  EXPECT_EQ(fn("startOfMonth", {}, kNow, la), utc_ms(2025, 1, 1, 8));
  EXPECT_EQ(fn("endOfMonth", {}, kNow, la), utc_ms(2025, 2, 1, 8) - 1);
}

TEST(DateFunctions, InTokyo) {
  const std::string tokyo = "Asia/Tokyo";  // local now: Jan 15 21:00 JST
  EXPECT_EQ(fn("startOfDay", {}, kNow, tokyo), utc_ms(2025, 1, 14, 15));
  EXPECT_EQ(fn("endOfDay", {}, kNow, tokyo), utc_ms(2025, 1, 15, 15) - 1);
  EXPECT_EQ(fn("startOfWeek", {}, kNow, tokyo), utc_ms(2025, 1, 11, 15));
  EXPECT_EQ(fn("endOfWeek", {}, kNow, tokyo), utc_ms(2025, 1, 18, 15) - 1);
  EXPECT_EQ(fn("startOfMonth", {}, kNow, tokyo), utc_ms(2024, 12, 31, 15));
  EXPECT_EQ(fn("endOfMonth", {}, kNow, tokyo), utc_ms(2025, 1, 31, 15) - 1);
  // Saturday evening in UTC is already Sunday in Tokyo: a new week there only.
  const int64_t sat = utc_ms(2025, 1, 18, 20, 0);
  EXPECT_EQ(fn("startOfWeek", {}, sat, tokyo), utc_ms(2025, 1, 18, 15));
  EXPECT_EQ(fn("startOfWeek", {}, sat, "UTC"), utc_ms(2025, 1, 12));
}

TEST(DateFunctions, Increments) {
  EXPECT_EQ(fn("startOfDay", {"-1d"}, kNow, "UTC"), utc_ms(2025, 1, 14));
  EXPECT_EQ(fn("startOfDay", {"-1"}, kNow, "UTC"), utc_ms(2025, 1, 14)) << "default unit: day";
  EXPECT_EQ(fn("endOfDay", {"+2h"}, kNow, "UTC"), utc_ms(2025, 1, 16, 1, 59, 59, 999));
  EXPECT_EQ(fn("startOfWeek", {"1"}, kNow, "UTC"), utc_ms(2025, 1, 19)) << "default unit: week";
  EXPECT_EQ(fn("startOfWeek", {"-1w"}, kNow, "UTC"), utc_ms(2025, 1, 5));
  EXPECT_EQ(fn("startOfMonth", {"-1M"}, kNow, "UTC"), utc_ms(2024, 12, 1));
  EXPECT_EQ(fn("startOfMonth", {"-1"}, kNow, "UTC"), utc_ms(2024, 12, 1)) << "default: month";
  EXPECT_EQ(fn("startOfMonth", {"+14d"}, kNow, "UTC"), utc_ms(2025, 1, 15));
  EXPECT_EQ(fn("endOfMonth", {"+1M"}, kNow, "UTC"), utc_ms(2025, 2, 28) + kLastMs)
      << "Jan 31 + 1 month clamps to Feb 28";
  EXPECT_EQ(fn("endOfMonth", {"+1M"}, utc_ms(2025, 2, 10), "UTC"), utc_ms(2025, 3, 31) + kLastMs)
      << "the end of next month, not March 28";
  EXPECT_EQ(fn("endOfMonth", {"-1"}, utc_ms(2025, 3, 10), "UTC"), utc_ms(2025, 2, 28) + kLastMs);
  EXPECT_EQ(fn("startOfYear", {"-1y"}, kNow, "UTC"), utc_ms(2024, 1, 1));
  EXPECT_EQ(fn("startOfDay", {"-30m"}, kNow, "Asia/Tokyo"), utc_ms(2025, 1, 14, 14, 30));
}

TEST(DateFunctions, DayIncrementsFollowTheWallClockAcrossDst) {
  // LA springs forward on 2025-03-09; now is Mar 10 05:00 PDT.
  const int64_t now = utc_ms(2025, 3, 10, 12, 0);
  const std::string la = "America/Los_Angeles";
  EXPECT_EQ(fn("startOfDay", {}, now, la), utc_ms(2025, 3, 10, 7));
  EXPECT_EQ(fn("startOfDay", {"-1d"}, now, la), utc_ms(2025, 3, 9, 8));
  // A relative literal is a fixed length: exactly 24 hours.
  EXPECT_EQ(literal("-1d", now, la).first_ms, now - 86'400'000);
}

TEST(DateLiterals, BareDatesAndTimesInEachZone) {
  const TimeRange utc = literal("2025-01-02 10:30", 0, "UTC");
  EXPECT_EQ(utc.first_ms, utc_ms(2025, 1, 2, 10, 30));
  EXPECT_EQ(utc.last_ms, utc_ms(2025, 1, 2, 10, 30, 59, 999));
  EXPECT_EQ(literal("2025/01/02 10:30", 0, "America/Los_Angeles").first_ms,
            utc_ms(2025, 1, 2, 18, 30));
  EXPECT_EQ(literal("2025-01-02 10:30", 0, "Asia/Tokyo").first_ms, utc_ms(2025, 1, 2, 1, 30));
  const TimeRange day = literal("2025-01-02", 0, "Asia/Tokyo");
  EXPECT_EQ(day.first_ms, utc_ms(2025, 1, 1, 15));
  EXPECT_EQ(day.last_ms, utc_ms(2025, 1, 2, 15) - 1);
  EXPECT_EQ(literal("2025/1/2 7:05", 0, "UTC").first_ms, utc_ms(2025, 1, 2, 7, 5));
}

TEST(DateLiterals, DstGapsOverlapsAndShortDays) {
  const std::string la = "America/Los_Angeles";
  // 23-hour day.
  const TimeRange day = literal("2025-03-09", 0, la);
  EXPECT_EQ(day.first_ms, utc_ms(2025, 3, 9, 8));
  EXPECT_EQ(day.last_ms, utc_ms(2025, 3, 10, 7) - 1);
  // 02:30 does not exist: moves forward by the gap to 03:30 PDT (java.time).
  EXPECT_EQ(literal("2025-03-09 02:30", 0, la).first_ms, utc_ms(2025, 3, 9, 10, 30));
  // 01:30 happens twice on Nov 2: the earlier (PDT) instant.
  EXPECT_EQ(literal("2025-11-02 01:30", 0, la).first_ms, utc_ms(2025, 11, 2, 8, 30));
}

TEST(DateLiterals, EpochAndRelativeForms) {
  EXPECT_EQ(literal("1735813800000", 0, "Asia/Tokyo").first_ms, 1735813800000);
  EXPECT_EQ(literal("-7d", kNow, "UTC").first_ms, kNow - 7 * 86'400'000LL);
  EXPECT_EQ(literal("-1w", kNow, "UTC").first_ms, kNow - 7 * 86'400'000LL);
  EXPECT_EQ(literal("-30m", kNow, "UTC").first_ms, kNow - 30 * 60'000LL);
  EXPECT_EQ(literal("4w 2d", kNow, "UTC").first_ms, kNow + 30 * 86'400'000LL);
  EXPECT_EQ(literal("-4w2d", kNow, "UTC").first_ms, kNow - 30 * 86'400'000LL);
  EXPECT_EQ(literal("+2h", kNow, "UTC").first_ms, kNow + 2 * 3'600'000LL);
  EXPECT_EQ(literal("-1M", kNow, "UTC").first_ms, utc_ms(2024, 12, 15, 12));
}

TEST(DateLiterals, Parsing) {
  EXPECT_TRUE(parse_local_date_time("2024-02-29"));
  EXPECT_FALSE(parse_local_date_time("2025-02-29"));
  EXPECT_FALSE(parse_local_date_time("2025-13-01"));
  EXPECT_FALSE(parse_local_date_time("2025/01-02"));
  EXPECT_FALSE(parse_local_date_time("2025-01-02 10:60"));
  EXPECT_FALSE(parse_local_date_time("2025-01-02T10:30"));
  EXPECT_FALSE(parse_local_date_time("25-01-02"));
  const auto p = parse_period("-4w 2d", 0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->weeks, -4);
  EXPECT_EQ(p->days, -2);
  EXPECT_FALSE(parse_period("5x", 0));
  EXPECT_FALSE(parse_period("5", 0));
  EXPECT_FALSE(parse_period("", 'd'));
  EXPECT_EQ(parse_period("5", 'd')->days, 5);
  EXPECT_THROW(date_operand_from_value("yesterday", "updated"), JqlError);
  EXPECT_THROW(AccountZone("Not/AZone"), JqlError);
}

}  // namespace
}  // namespace jirasim::jql
