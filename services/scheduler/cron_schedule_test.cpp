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

}  // namespace
}  // namespace jirasync
