#include "common/store/sql_rate_bucket_store.hpp"

#include <gtest/gtest.h>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlRateBucketStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    buckets = std::make_unique<SqlRateBucketStore>(db());
  }
  std::unique_ptr<SqlRateBucketStore> buckets;
};

TEST_P(SqlRateBucketStoreTest, NewBucketStartsFullThenAsksToWait) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(buckets->try_take("jira", 3, 2.0, kNow), 0) << i;
  // Empty: one token comes back after 1 / 2 per second = 500 ms.
  EXPECT_EQ(buckets->try_take("jira", 3, 2.0, kNow), 500);
  EXPECT_EQ(buckets->try_take("jira", 3, 2.0, kNow + 200), 300);
  EXPECT_EQ(buckets->try_take("jira", 3, 2.0, kNow + 500), 0);
  EXPECT_GT(buckets->try_take("jira", 3, 2.0, kNow + 500), 0);
}

TEST_P(SqlRateBucketStoreTest, RefillIsCappedAtCapacity) {
  for (int i = 0; i < 3; ++i) buckets->try_take("jira", 3, 10.0, kNow);
  const int64_t later = kNow + 3'600'000;  // an hour: would be 36000 tokens uncapped
  int taken = 0;
  while (buckets->try_take("jira", 3, 10.0, later) == 0 && taken < 10) ++taken;
  EXPECT_EQ(taken, 3);
}

TEST_P(SqlRateBucketStoreTest, BucketsAreIndependent) {
  EXPECT_EQ(buckets->try_take("a", 1, 1.0, kNow), 0);
  EXPECT_GT(buckets->try_take("a", 1, 1.0, kNow), 0);
  EXPECT_EQ(buckets->try_take("b", 1, 1.0, kNow), 0);
}

TEST_P(SqlRateBucketStoreTest, BlockedUntilMakesEveryoneWaitAndNeverMovesEarlier) {
  EXPECT_EQ(buckets->try_take("jira", 5, 5.0, kNow), 0);
  buckets->block_until("jira", kNow + 30'000);
  buckets->block_until("jira", kNow + 10'000);  // an older Retry-After must not shorten it
  EXPECT_EQ(buckets->try_take("jira", 5, 5.0, kNow + 1'000), 29'000);
  EXPECT_EQ(buckets->try_take("jira", 5, 5.0, kNow + 30'000), 0);
}

TEST_P(SqlRateBucketStoreTest, BlockOnABucketNotSeenBefore) {
  buckets->block_until("fresh", kNow + 2'000);
  EXPECT_EQ(buckets->try_take("fresh", 2, 1.0, kNow), 2'000);
  // Once the block is over the bucket is full.
  EXPECT_EQ(buckets->try_take("fresh", 2, 1.0, kNow + 2'000), 0);
  EXPECT_EQ(buckets->try_take("fresh", 2, 1.0, kNow + 2'000), 0);
  EXPECT_GT(buckets->try_take("fresh", 2, 1.0, kNow + 2'000), 0);
}

TEST_P(SqlRateBucketStoreTest, RateZeroIsUnlimitedButStillHonoursABlock) {
  for (int i = 0; i < 50; ++i) ASSERT_EQ(buckets->try_take("jira", 1, 0.0, kNow), 0);
  buckets->block_until("jira", kNow + 100);
  EXPECT_EQ(buckets->try_take("jira", 1, 0.0, kNow), 100);
}

TEST_P(SqlRateBucketStoreTest, TwoConnectionsShareOneBucket) {
  SqlRateBucketStore other(scratch_->open_another());
  int taken = 0;
  for (int i = 0; i < 5; ++i) {
    taken += buckets->try_take("jira", 4, 1.0, kNow) == 0;
    taken += other.try_take("jira", 4, 1.0, kNow) == 0;
  }
  EXPECT_EQ(taken, 4);
}

TEST_P(SqlRateBucketStoreTest, ClockSkewBackwardsRefillsNothing) {
  EXPECT_EQ(buckets->try_take("jira", 1, 1.0, kNow + 5'000), 0);
  // Another host whose clock is 5 s behind: no negative refill, no free token.
  EXPECT_GT(buckets->try_take("jira", 1, 1.0, kNow), 0);
  EXPECT_EQ(buckets->try_take("jira", 1, 1.0, kNow + 6'000), 0);
}

TEST_P(SqlRateBucketStoreTest, BadArgumentsNameTheField) {
  auto message = [&](auto call) {
    try {
      call();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([&] { buckets->try_take("", 1, 1, kNow); }).find("bucket"), std::string::npos);
  EXPECT_NE(message([&] { buckets->try_take("x", 0.5, 1, kNow); }).find("capacity"),
            std::string::npos);
  EXPECT_NE(message([&] { buckets->try_take("x", 1, -1, kNow); }).find("refill_per_s"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlRateBucketStoreTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
