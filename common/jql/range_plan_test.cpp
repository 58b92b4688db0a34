#include "common/jql/range_plan.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(RangePlan, SmallTablesAreNotProbed) {
  EXPECT_EQ(range_probe_limit({4999, 51}), 0);
  EXPECT_FALSE(walk_order_past_range({4999, 51}, 4999));
  EXPECT_FALSE(walk_order_past_range({0, 51}, 0));
}

TEST(RangePlan, ASixteenthOfTheTableWalksTheOrder) {
  // 100,000 tickets, a first page of 50 (+1): count up to a sixteenth.
  const RangePlanInputs in{100000, 51};
  EXPECT_EQ(range_probe_limit(in), 6250);
  EXPECT_TRUE(walk_order_past_range(in, 6250));  // `updated >= -7d`: most of the table
  EXPECT_FALSE(walk_order_past_range(in, 6249));
  EXPECT_FALSE(walk_order_past_range(in, 120));  // `updated >= -1h`: read the range
  // A million: the even-spread bound (2 * sqrt(51 * 1e6) = 14,283) is below
  // the sixteenth.
  EXPECT_EQ(range_probe_limit({1000000, 51}), 62500);
  // 20,000 tickets, pages of 1,001: the even-spread bound leads.
  EXPECT_EQ(range_probe_limit({20000, 1001}), 8949);
}

TEST(RangePlan, LargePagesNeedLargerRanges) {
  // 10,001 rows of 100,000: walking a 30 % range reads ~33,000 rows, about
  // what reading the range and sorting it costs; the walk needs more.
  const RangePlanInputs in{100000, 10001};
  EXPECT_EQ(range_probe_limit(in), 63249);
  EXPECT_FALSE(walk_order_past_range(in, 30000));
  EXPECT_TRUE(walk_order_past_range(in, 63249));
}

TEST(RangePlan, ALimitBeyondTheTableNeverWalks) {
  // 6,000 tickets, pages of 10,001: 2 * sqrt(page * rows) > rows.
  const RangePlanInputs in{6000, 10001};
  EXPECT_GT(range_probe_limit(in), 6000);
  EXPECT_FALSE(walk_order_past_range(in, 6000));
}

}  // namespace
}  // namespace jirasync
