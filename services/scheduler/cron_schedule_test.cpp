#include "services/scheduler/cron_schedule.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

// 2025-01-02T10:07:00Z
constexpr int64_t kT = 1'735'812'420'000;

TEST(CronSchedule, EveryThirtyMinutes) {
  auto c = CronSchedule::parse("*/30 * * * *");
  EXPECT_EQ(c.next_after(kT), 1'735'813'800'000);                 // 10:30Z
  EXPECT_EQ(c.next_after(1'735'813'800'000), 1'735'815'600'000);  // 11:00Z
}

TEST(CronSchedule, DailyAtSixInTheConfiguredZone) {
  auto utc = CronSchedule::parse("0 6 * * *", "UTC");
  auto tokyo = CronSchedule::parse("0 6 * * *", "Asia/Tokyo");
  auto la = CronSchedule::parse("0 6 * * *", "America/Los_Angeles");
  EXPECT_EQ(utc.next_after(kT), 1'735'884'000'000);    // 2025-01-03T06:00Z
  EXPECT_EQ(tokyo.next_after(kT), 1'735'851'600'000);  // 2025-01-02T21:00Z = 06:00 JST on the 3rd
  EXPECT_EQ(la.next_after(kT), 1'735'826'400'000);     // 2025-01-02T14:00Z = 06:00 PST
}

TEST(CronSchedule, WeekdaysAndRanges) {
  auto c = CronSchedule::parse("15 9-17/4 * * 1-5");
  // 2025-01-04 is a Saturday; from Friday 2025-01-03 18:00Z the next is Monday 09:15Z.
  EXPECT_EQ(c.next_after(1'735'927'200'000), 1'736'154'900'000);
}

TEST(CronSchedule, BadExpressionsNameTheField) {
  try {
    CronSchedule::parse("61 * * * *");
    FAIL();
  } catch (const CronError& e) {
    EXPECT_NE(std::string(e.what()).find("minute"), std::string::npos);
  }
  EXPECT_THROW(CronSchedule::parse("* * * *"), CronError);
  EXPECT_THROW(CronSchedule::parse("* * 0 * *"), CronError);
  EXPECT_THROW(CronSchedule::parse("*/0 * * * *"), CronError);
  EXPECT_THROW(CronSchedule::parse("* * * * *", "Mars/Olympus"), CronError);
}

// The names crontab(5) accepts, in any case, alone and in ranges and lists.
TEST(CronSchedule, MonthAndWeekdayNames) {
  const int64_t friday_18 = 1'735'927'200'000;  // 2025-01-03T18:00Z
  EXPECT_EQ(CronSchedule::parse("15 9-17/4 * * MON-FRI").next_after(friday_18),
            CronSchedule::parse("15 9-17/4 * * 1-5").next_after(friday_18));
  EXPECT_EQ(CronSchedule::parse("0 9 * * mon,Wed,FRI").next_after(kT),
            CronSchedule::parse("0 9 * * 1,3,5").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("0 0 1 jan-mar *").next_after(kT),
            CronSchedule::parse("0 0 1 1-3 *").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("0 0 * * SUN").next_after(kT),
            CronSchedule::parse("0 0 * * 0").next_after(kT));
  try {
    CronSchedule::parse("0 9 * * MON-FRY");
    FAIL();
  } catch (const CronError& e) {
    EXPECT_NE(std::string(e.what()).find("day of week"), std::string::npos) << e.what();
  }
  EXPECT_THROW(CronSchedule::parse("0 9 * MON *"), CronError);  // a weekday is not a month
  EXPECT_THROW(CronSchedule::parse("JAN 9 * * *"), CronError);  // nor a minute
}

TEST(CronSchedule, Shorthands) {
  EXPECT_EQ(CronSchedule::parse("@hourly").next_after(kT), 1'735'815'600'000);  // 11:00Z
  EXPECT_EQ(CronSchedule::parse("@daily").next_after(kT), 1'735'862'400'000);   // 01-03T00:00Z
  EXPECT_EQ(CronSchedule::parse("@midnight").next_after(kT),
            CronSchedule::parse("0 0 * * *").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("@weekly").next_after(kT),
            CronSchedule::parse("0 0 * * 0").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("@monthly").next_after(kT),
            CronSchedule::parse("0 0 1 * *").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("@yearly").next_after(kT),
            CronSchedule::parse("0 0 1 1 *").next_after(kT));
  EXPECT_EQ(CronSchedule::parse("@annually").next_after(kT),
            CronSchedule::parse("0 0 1 1 *").next_after(kT));
  EXPECT_EQ(CronSchedule::parse(" @daily ").expression(), " @daily ");
  EXPECT_THROW(CronSchedule::parse("@reboot"), CronError);
  EXPECT_THROW(CronSchedule::parse("@fortnightly"), CronError);
  EXPECT_THROW(CronSchedule::parse("@daily 0"), CronError);
}

}  // namespace
}  // namespace jirasync
