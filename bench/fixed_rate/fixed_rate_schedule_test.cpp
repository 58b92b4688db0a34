#include "bench/fixed_rate/fixed_rate_schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;
using jirasync::bench::FixedRateSchedule;

TEST(FixedRateSchedule, RequestsAreDueAtFixedIntervalsFromTheStart) {
  FixedRateSchedule s(2000, 10);
  EXPECT_EQ(s.due_at(0), 0ns);
  EXPECT_EQ(s.due_at(1), 500us);
  EXPECT_EQ(s.due_at(4), 2ms);
  FixedRateSchedule third(3, 10);
  EXPECT_EQ(third.due_at(1), 333'333'333ns);
  EXPECT_EQ(third.due_at(3), 1s);
}

TEST(FixedRateSchedule, DueByCountsTheRequestsWhoseTimeHasComeAndStopsAtTheTotal) {
  FixedRateSchedule s(2000, 10);
  EXPECT_EQ(s.due_by(-1ns), 0u);
  EXPECT_EQ(s.due_by(0ns), 1u);
  EXPECT_EQ(s.due_by(499us), 1u);
  EXPECT_EQ(s.due_by(500us), 2u);
  EXPECT_EQ(s.due_by(1999us), 4u);
  EXPECT_EQ(s.due_by(2ms), 5u);
  EXPECT_EQ(s.due_by(1h), 10u);
  FixedRateSchedule third(3, 100);
  EXPECT_EQ(third.due_by(333'333'332ns), 1u);
  EXPECT_EQ(third.due_by(333'333'333ns), 2u);
  EXPECT_EQ(third.due_by(1s), 4u);
}

TEST(FixedRateSchedule, ARateOfZeroIsRefused) {
  EXPECT_THROW(FixedRateSchedule(0, 10), std::invalid_argument);
  EXPECT_THROW(FixedRateSchedule(-5, 10), std::invalid_argument);
}

TEST(Percentile, IsTheNearestRank) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);  // unsorted on purpose
  EXPECT_EQ(jirasync::bench::percentile(v, 50), 50);
  EXPECT_EQ(jirasync::bench::percentile(v, 99), 99);
  EXPECT_EQ(jirasync::bench::percentile(v, 99.9), 100);
  EXPECT_EQ(jirasync::bench::percentile(v, 100), 100);
  std::vector<double> few{3, 1, 2};
  EXPECT_EQ(jirasync::bench::percentile(few, 50), 2);
  EXPECT_EQ(jirasync::bench::percentile(few, 1), 1);
  std::vector<double> none;
  EXPECT_EQ(jirasync::bench::percentile(none, 99), 0);
}

TEST(Percentile, SummaryHoldsTheTailAndTheMean) {
  std::vector<double> v(1000, 1.0);
  v[0] = 50;  // one slow request in a thousand: p99.9 and max, not p99
  v[1] = 20;
  const auto s = jirasync::bench::summarize(v);
  EXPECT_EQ(s.count, 1000u);
  EXPECT_EQ(s.p50_ms, 1);
  EXPECT_EQ(s.p99_ms, 1);
  EXPECT_EQ(s.p999_ms, 20);
  EXPECT_EQ(s.max_ms, 50);
  EXPECT_DOUBLE_EQ(s.mean_ms, (998 + 50 + 20) / 1000.0);
}
