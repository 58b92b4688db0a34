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

// A step that takes one token if there is one and reports what it saw.
int64_t take_one(SqlRateBucketStore& store, const std::string& bucket, double fresh_tokens,
                 RateBucketState* seen = nullptr) {
  return store.update(bucket, {fresh_tokens, kNow, 0}, [&](RateBucketState& s) -> int64_t {
    if (seen) *seen = s;
    if (s.blocked_until_ms > kNow) return s.blocked_until_ms - kNow;
    if (s.tokens < 1) return 1;
    s.tokens -= 1;
    return 0;
  });
}

TEST_P(SqlRateBucketStoreTest, NewBucketStartsFreshAndKeepsWhatTheStepLeaves) {
  RateBucketState seen;
  EXPECT_EQ(take_one(*buckets, "jira", 2, &seen), 0);
  EXPECT_EQ(seen.tokens, 2);
  EXPECT_EQ(seen.updated_ms, kNow);
  EXPECT_EQ(take_one(*buckets, "jira", 2, &seen), 0);
  EXPECT_EQ(seen.tokens, 1);
  EXPECT_EQ(take_one(*buckets, "jira", 2, &seen), 1);
  EXPECT_EQ(seen.tokens, 0);
}

TEST_P(SqlRateBucketStoreTest, StepResultIsReturnedAndFractionsSurvive) {
  const int64_t got = buckets->update("jira", {0.25, kNow, 0}, [](RateBucketState& s) {
    s.tokens += 0.5;
    s.updated_ms += 7;
    return int64_t{42};
  });
  EXPECT_EQ(got, 42);
  RateBucketState seen;
  take_one(*buckets, "jira", 9, &seen);
  EXPECT_DOUBLE_EQ(seen.tokens, 0.75);
  EXPECT_EQ(seen.updated_ms, kNow + 7);
}

TEST_P(SqlRateBucketStoreTest, BucketsAreIndependent) {
  EXPECT_EQ(take_one(*buckets, "a", 1), 0);
  EXPECT_GT(take_one(*buckets, "a", 1), 0);
  EXPECT_EQ(take_one(*buckets, "b", 1), 0);
}

TEST_P(SqlRateBucketStoreTest, BlockUntilNeverMovesEarlier) {
  take_one(*buckets, "jira", 5);
  buckets->block_until("jira", kNow + 30'000);
  buckets->block_until("jira", kNow + 10'000);
  EXPECT_EQ(take_one(*buckets, "jira", 5), 30'000);
}

TEST_P(SqlRateBucketStoreTest, BlockOnABucketNotSeenBeforeStartsItEmptyAtTimeZero) {
  buckets->block_until("fresh", kNow + 2'000);
  RateBucketState seen;
  EXPECT_EQ(take_one(*buckets, "fresh", 9, &seen), 2'000);
  EXPECT_EQ(seen.tokens, 0);
  EXPECT_EQ(seen.updated_ms, 0);
}

TEST_P(SqlRateBucketStoreTest, TwoConnectionsShareOneBucket) {
  SqlRateBucketStore other(scratch_->open_another());
  int taken = 0;
  for (int i = 0; i < 5; ++i) {
    taken += take_one(*buckets, "jira", 4) == 0;
    taken += take_one(other, "jira", 4) == 0;
  }
  EXPECT_EQ(taken, 4);
}

TEST_P(SqlRateBucketStoreTest, EmptyBucketNameIsRefused) {
  try {
    take_one(*buckets, "", 1);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("bucket"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlRateBucketStoreTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
