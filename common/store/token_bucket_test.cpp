#include "common/store/token_bucket.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace jirasync {

void PrintTo(const TokenGrant& g, std::ostream* os) {
  *os << "{granted " << g.granted << ", next_ms " << g.next_ms << "}";
}

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

TEST(TokenBucket, ABatchTakesWhatThereIsAndSaysWhenTheNextComes) {
  TokenBucket rule(5, 10.0);  // a token every 100 ms
  auto s = rule.fresh(kNow);
  EXPECT_EQ(rule.take_up_to(s, kNow, 3), (TokenGrant{3, 0}));
  EXPECT_EQ(rule.take_up_to(s, kNow, 4), (TokenGrant{2, 100}));
  // 250 ms later 2.5 tokens have come: two now, the third 50 ms on.
  EXPECT_EQ(rule.take_up_to(s, kNow + 250, 4), (TokenGrant{2, 50}));
  EXPECT_EQ(rule.take_up_to(s, kNow + 300, 1), (TokenGrant{1, 0}));
}

TEST(TokenBucket, ABatchNeverTakesMoreThanTheBucketHolds) {
  TokenBucket rule(3, 2.0);
  auto s = rule.fresh(kNow);
  EXPECT_EQ(rule.take_up_to(s, kNow + 60'000, 10), (TokenGrant{3, 500}));
  EXPECT_EQ(s.tokens, 0);
}

TEST(TokenBucket, AskingForNothingTakesNothing) {
  TokenBucket rule(3, 2.0);
  auto s = rule.fresh(kNow);
  EXPECT_EQ(rule.take_up_to(s, kNow, 0), (TokenGrant{0, 0}));
  EXPECT_EQ(s.tokens, 3);
}

TEST(TokenBucket, ABatchUnderAHoldGetsNothingUntilItPasses) {
  TokenBucket rule(5, 5.0);
  auto s = rule.fresh(kNow);
  s.blocked_until_ms = kNow + 3'000;
  EXPECT_EQ(rule.take_up_to(s, kNow, 4), (TokenGrant{0, 3'000}));
  EXPECT_EQ(rule.take_up_to(s, kNow + 3'000, 4), (TokenGrant{4, 0}));
}

TEST(TokenBucket, UnlimitedGrantsTheWholeBatch) {
  TokenBucket rule(1, 0.0);
  auto s = rule.fresh(kNow);
  EXPECT_EQ(rule.take_up_to(s, kNow, 24), (TokenGrant{24, 0}));
}

// Batches of any size, asked again at the time the bucket names: in no window
// do the grants exceed rate x window + capacity (what Jira counts).
TEST(TokenBucket, BatchesNeverExceedRateTimesTimePlusCapacity) {
  const double rate = 50;
  const double capacity = 4;
  TokenBucket rule(capacity, rate);
  auto s = rule.fresh(kNow);
  std::vector<int64_t> grants;  // the time of each token
  int64_t now = kNow;
  unsigned seed = 7;
  for (int asks = 0; grants.size() < 2'000; ++asks) {
    ASSERT_LT(asks, 100'000) << "the bucket stopped giving";
    seed = seed * 1103515245u + 12345u;
    const int64_t wanted = 1 + (seed >> 16) % 24;
    const TokenGrant got = rule.take_up_to(s, now, wanted);
    for (int64_t i = 0; i < got.granted; ++i) grants.push_back(now);
    now += got.next_ms > 0 ? got.next_ms : static_cast<int64_t>((seed >> 8) % 7);
  }
  for (size_t a = 0; a < grants.size(); ++a) {
    for (size_t b = a; b < grants.size() && grants[b] - grants[a] <= 2'000; ++b) {
      const double allowed = rate * static_cast<double>(grants[b] - grants[a]) / 1000.0 + capacity;
      ASSERT_LE(static_cast<double>(b - a + 1), allowed + 1e-6) << "tokens " << a << ".." << b;
    }
  }
  // And it keeps up: 2,000 tokens at 50/s take 40 s less the first bucketful.
  EXPECT_LE(now - kNow, 40'000);
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
