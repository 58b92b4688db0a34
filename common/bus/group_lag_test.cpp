#include "common/bus/group_lag.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(PartitionLag, IsHighWatermarkLessCommittedOffset) {
  EXPECT_EQ(partition_lag(40, 0, 100), 60);
  EXPECT_EQ(partition_lag(100, 0, 100), 0);
}

TEST(PartitionLag, WithoutACommitEverythingRetainedIsOwed) {
  // The consumers start at the earliest record (auto.offset.reset=earliest).
  EXPECT_EQ(partition_lag(-1, 30, 100), 70);
}

TEST(PartitionLag, UnknownWatermarksGiveUnknownLag) {
  EXPECT_EQ(partition_lag(10, -1, -1), -1);
  EXPECT_EQ(partition_lag(-1, -1, 100), -1);
}

TEST(PartitionLag, ACommitPastTheWatermarkIsNoLag) {
  // A truncated or recreated topic: never report a negative lag.
  EXPECT_EQ(partition_lag(150, 0, 100), 0);
}

TEST(ConsumerRoles, NameEachConsumingRoleItsGroupAndTopic) {
  const auto roles = consumer_roles("x.");
  ASSERT_EQ(roles.size(), 3u);
  EXPECT_EQ(roles[0].role, "fetcher");
  EXPECT_EQ(roles[0].group, "x.fetcher");
  EXPECT_EQ(roles[0].topic, "x.jobs");
  EXPECT_EQ(roles[1].topic, "x.issues.raw");
  EXPECT_EQ(roles[2].group, "x.writer");
  EXPECT_EQ(roles[2].topic, "x.issues.decided");
}

}  // namespace
}  // namespace jirasync
