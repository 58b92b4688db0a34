#include "common/store/token_bucket.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace jirasync {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

TEST(TokenBucket, StartsFullThenAsksToWaitForTheNextToken) {
  TokenBucket rule(3, 2.0);
  auto s = rule.fresh(kNow);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(rule.take(s, kNow), 0) << i;
  EXPECT_EQ(rule.take(s, kNow), 500);  // 2 tokens/s: one every 500 ms
  EXPECT_EQ(rule.take(s, kNow + 200), 300);
  EXPECT_EQ(rule.take(s, kNow + 500), 0);
  EXPECT_GT(rule.take(s, kNow + 500), 0);
}

TEST(TokenBucket, RefillIsCappedAtCapacity) {
  TokenBucket rule(3, 10.0);
  auto s = rule.fresh(kNow);
  for (int i = 0; i < 3; ++i) rule.take(s, kNow);
  const int64_t later = kNow + 60'000;
  int taken = 0;
  while (rule.take(s, later) == 0 && taken < 10) ++taken;
  EXPECT_EQ(taken, 3);
}

TEST(TokenBucket, WaitIsRoundedUpSoTheRetryFindsAToken) {
  TokenBucket rule(1, 3.0);  // one token every 333.33 ms
  auto s = rule.fresh(kNow);
  rule.take(s, kNow);
  const int64_t wait = rule.take(s, kNow);
  EXPECT_EQ(wait, 334);
  EXPECT_EQ(rule.take(s, kNow + wait), 0);
}

TEST(TokenBucket, FloatNoiseDoesNotCostAWholeWait) {
  TokenBucket rule(1, 10.0);
  RateBucketState s{0.9999999999, kNow, 0};
  EXPECT_EQ(rule.take(s, kNow), 0);
  EXPECT_GE(s.tokens, 0.0);
}

TEST(TokenBucket, AHoldMakesEveryoneWaitUntilItPasses) {
  TokenBucket rule(5, 5.0);
  auto s = rule.fresh(kNow);
  s.blocked_until_ms = kNow + 30'000;
  EXPECT_EQ(rule.take(s, kNow + 1'000), 29'000);
  EXPECT_EQ(rule.take(s, kNow + 30'000), 0);
}

TEST(TokenBucket, ClockSkewBackwardsRefillsNothing) {
  TokenBucket rule(1, 1.0);
  auto s = rule.fresh(kNow + 5'000);
  EXPECT_EQ(rule.take(s, kNow + 5'000), 0);
  // Another host whose clock is 5 s behind: no negative refill, no free token,
  // and the bucket's time does not move back.
  EXPECT_GT(rule.take(s, kNow), 0);
  EXPECT_EQ(s.updated_ms, kNow + 5'000);
  EXPECT_EQ(rule.take(s, kNow + 6'000), 0);
}

TEST(TokenBucket, RateZeroIsUnlimitedButStillHonoursAHold) {
  TokenBucket rule(1, 0.0);
  auto s = rule.fresh(kNow);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(rule.take(s, kNow), 0);
  s.blocked_until_ms = kNow + 100;
  EXPECT_EQ(rule.take(s, kNow), 100);
}

TEST(TokenBucket, BadArgumentsNameTheField) {
  auto message = [](auto make) {
    try {
      make();
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message([] { TokenBucket(0.5, 1); }).find("capacity"), std::string::npos);
  EXPECT_NE(message([] { TokenBucket(1, -1); }).find("refill_per_s"), std::string::npos);
  EXPECT_EQ(message([] { TokenBucket(0.5, 0); }), "no error");  // unlimited needs no capacity
}

}  // namespace
}  // namespace jirasync
