#include "common/time/jira_time.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

// 2024-03-05T09:15:30.123Z, computed independently: 19787 days since 1970-01-01.
constexpr int64_t kBase = (19787LL * 86400 + 9 * 3600 + 15 * 60 + 30) * 1000 + 123;

TEST(ParseJiraTime, JiraDefaultFormWithCompactOffset) {
  EXPECT_EQ(parse_jira_time("2024-03-05T10:15:30.123+0100"), kBase);
}

TEST(ParseJiraTime, ColonOffsetAndZuluAreTheSameInstant) {
  EXPECT_EQ(parse_jira_time("2024-03-05T10:15:30.123+01:00"), kBase);
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.123Z"), kBase);
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.123+0000"), kBase);
}

TEST(ParseJiraTime, NegativeOffsetCrossesMidnight) {
  EXPECT_EQ(parse_jira_time("2024-03-04T23:45:30.123-0930"), kBase);
  EXPECT_EQ(parse_jira_time("2024-03-04T23:45:30.123-09:30"), kBase);
}

TEST(ParseJiraTime, WithoutMillis) {
  EXPECT_EQ(parse_jira_time("2024-03-05T10:15:30+0100"), kBase - 123);
}

TEST(ParseJiraTime, FractionDigitsShorterOrLongerThanMillis) {
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.1Z"), kBase - 23);
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.12Z"), kBase - 3);
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.123456Z"), kBase);
  EXPECT_EQ(parse_jira_time("2024-03-05T09:15:30.123999999+0000"), kBase);
}

TEST(ParseJiraTime, DateOnlyIsMidnightUtc) {
  EXPECT_EQ(parse_jira_time("2024-03-05"), 19787LL * 86400 * 1000);
  EXPECT_EQ(parse_jira_time("1970-01-01"), 0);
}

TEST(ParseJiraTime, LeapDay) {
  EXPECT_EQ(parse_jira_time("2024-02-29T00:00:00.000Z") + 86400000,
            parse_jira_time("2024-03-01T00:00:00.000Z"));
  EXPECT_THROW(parse_jira_time("2023-02-29"), TimeFormatError);
  EXPECT_THROW(parse_jira_time("1900-02-29"), TimeFormatError);
  EXPECT_NO_THROW(parse_jira_time("2000-02-29"));
}

TEST(ParseJiraTime, BeforeEpochIsNegative) {
  EXPECT_EQ(parse_jira_time("1969-12-31T23:59:59.999Z"), -1);
}

TEST(ParseJiraTime, GarbageIsRejectedWithTheTextQuoted) {
  for (const char* bad :
       {"", "garbage", "2024-3-05", "2024-03-05T10:15", "2024-03-05T10:15:30",
        "2024-03-05T10:15:30.123", "2024-03-05T24:00:00Z", "2024-03-05T10:60:00Z", "2024-13-01",
        "2024-00-10", "2024-04-31", "2024-03-05T10:15:30.Z", "2024-03-05T10:15:30.123+01",
        "2024-03-05T10:15:30.123+0100x", "2024-03-05 10:15:30Z", "2024-03-05T10:15:30.123+2500",
        "2024-03-05T10:15:30.1234567890Z", "１９７０-01-01", "2024-03-05T10:15:30.123 +0100"}) {
    try {
      parse_jira_time(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const TimeFormatError& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + bad + "'"), std::string::npos)
          << e.what();
    }
  }
}

TEST(ParseJiraTime, IsAnInvalidArgument) {
  EXPECT_THROW(parse_jira_time("x"), std::invalid_argument);
}

TEST(FormatJiraTime, UtcByDefault) {
  EXPECT_EQ(format_jira_time(kBase), "2024-03-05T09:15:30.123+0000");
}

TEST(FormatJiraTime, NegativeOffsetInWinter) {
  int64_t ms = parse_jira_time("2025-01-02T15:30:00.000Z");
  EXPECT_EQ(format_jira_time(ms, "America/New_York"), "2025-01-02T10:30:00.000-0500");
}

TEST(FormatJiraTime, OffsetFollowsDstAtThatInstant) {
  int64_t summer = parse_jira_time("2025-07-02T15:30:00.000Z");
  EXPECT_EQ(format_jira_time(summer, "America/New_York"), "2025-07-02T11:30:00.000-0400");
  EXPECT_EQ(format_jira_time(summer, "Europe/Berlin"), "2025-07-02T17:30:00.000+0200");
  EXPECT_EQ(format_jira_time(summer, "Asia/Kolkata"), "2025-07-02T21:00:00.000+0530");
}

TEST(FormatJiraTime, PadsEveryPartWithZeros) {
  const int64_t early = parse_jira_time("0987-01-02T03:04:05.006Z");
  EXPECT_EQ(format_jira_time(early), "0987-01-02T03:04:05.006+0000");
  EXPECT_EQ(format_jira_time(parse_jira_time("2025-07-02T00:00:00.000Z"), "Asia/Kathmandu"),
            "2025-07-02T05:45:00.000+0545");
  EXPECT_EQ(format_jira_time(-1), "1969-12-31T23:59:59.999+0000");
}

TEST(FormatJiraTime, RoundTripsThroughParse) {
  for (int64_t ms : {int64_t{0}, int64_t{-1}, kBase, int64_t{1735831800123}}) {
    for (const char* zone :
         {"UTC", "America/Los_Angeles", "Australia/Lord_Howe", "Asia/Kathmandu"}) {
      EXPECT_EQ(parse_jira_time(format_jira_time(ms, zone)), ms) << zone << " " << ms;
    }
  }
}

TEST(FormatJiraTime, PreEpochMillisFloorCorrectly) {
  EXPECT_EQ(format_jira_time(-1), "1969-12-31T23:59:59.999+0000");
}

TEST(FormatJiraTime, UnknownZoneIsAClearError) {
  try {
    format_jira_time(0, "Mars/Olympus_Mons");
    FAIL();
  } catch (const TimeFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("Mars/Olympus_Mons"), std::string::npos);
  }
}

TEST(ZonedLocalToUtc, PlainWinterAndSummer) {
  EXPECT_EQ(zoned_local_to_utc_ms(2025, 1, 2, 10, 30, 0, "America/New_York"),
            parse_jira_time("2025-01-02T15:30:00Z"));
  EXPECT_EQ(zoned_local_to_utc_ms(2025, 7, 2, 10, 30, 0, "America/New_York"),
            parse_jira_time("2025-07-02T14:30:00Z"));
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 2, 29, 0, 0, 0, "UTC"), parse_jira_time("2024-02-29"));
}

TEST(ZonedLocalToUtc, SpringForwardGapMovesForward) {
  // 2024-03-10 02:30 does not exist in New York; java.time reads it as 03:30 EDT.
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 3, 10, 2, 30, 0, "America/New_York"),
            parse_jira_time("2024-03-10T03:30:00-0400"));
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 3, 10, 3, 0, 0, "America/New_York"),
            parse_jira_time("2024-03-10T03:00:00-0400"));
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 3, 10, 1, 59, 59, "America/New_York"),
            parse_jira_time("2024-03-10T01:59:59-0500"));
}

TEST(ZonedLocalToUtc, FallBackOverlapTakesEarlierInstant) {
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 11, 3, 1, 30, 0, "America/New_York"),
            parse_jira_time("2024-11-03T01:30:00-0400"));
  EXPECT_EQ(zoned_local_to_utc_ms(2024, 10, 27, 2, 30, 0, "Europe/Berlin"),
            parse_jira_time("2024-10-27T02:30:00+0200"));
}

TEST(ZonedLocalToUtc, SouthernHemisphereDst) {
  EXPECT_EQ(zoned_local_to_utc_ms(2025, 1, 15, 12, 0, 0, "Australia/Sydney"),
            parse_jira_time("2025-01-15T12:00:00+1100"));
  EXPECT_EQ(zoned_local_to_utc_ms(2025, 7, 15, 12, 0, 0, "Australia/Sydney"),
            parse_jira_time("2025-07-15T12:00:00+1000"));
}

TEST(ZonedLocalToUtc, RejectsBadFieldsAndZones) {
  EXPECT_THROW(zoned_local_to_utc_ms(2023, 2, 29, 0, 0, 0, "UTC"), TimeFormatError);
  EXPECT_THROW(zoned_local_to_utc_ms(2024, 13, 1, 0, 0, 0, "UTC"), TimeFormatError);
  EXPECT_THROW(zoned_local_to_utc_ms(2024, 1, 1, 24, 0, 0, "UTC"), TimeFormatError);
  EXPECT_THROW(zoned_local_to_utc_ms(2024, 1, 1, 0, -1, 0, "UTC"), TimeFormatError);
  EXPECT_THROW(zoned_local_to_utc_ms(2024, 1, 1, 0, 0, 0, "Not/AZone"), TimeFormatError);
}

}  // namespace
}  // namespace jirasync
