#include "tests/jirasim/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"

namespace jirasim {
namespace {

TEST(RateLimiter, OffUntilConfigured) {
  jirasync::FakeClock clock;
  RateLimiter limiter(clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.admit().allowed);
}

TEST(RateLimiter, RefusesOverTheBurstAndRefillsWithTime) {
  jirasync::FakeClock clock;
  RateLimiter limiter(clock);
  limiter.configure(2, 3);
  EXPECT_EQ(limiter.admit().remaining, 2);
  EXPECT_TRUE(limiter.admit().allowed);
  EXPECT_TRUE(limiter.admit().allowed);
  RateLimitDecision refused = limiter.admit();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.limit, 3);
  EXPECT_EQ(refused.retry_after_s, 1);
  EXPECT_EQ(refused.reset_ms, clock.now_ms() + 1000);
  clock.advance_ms(500);  // one token at 2/s
  EXPECT_TRUE(limiter.admit().allowed);
  EXPECT_FALSE(limiter.admit().allowed);
}

TEST(RateLimiter, StatesItsRefillAsWholeTokensPerWholeSeconds) {
  EXPECT_EQ(fill_rate_and_interval(2), std::make_pair(2, 1));
  EXPECT_EQ(fill_rate_and_interval(0.5), std::make_pair(1, 2));
  EXPECT_EQ(fill_rate_and_interval(2.5), std::make_pair(5, 2));
  EXPECT_EQ(fill_rate_and_interval(100.0 / 60), std::make_pair(5, 3));
  jirasync::FakeClock clock;
  RateLimiter limiter(clock);
  limiter.configure(0.5, 1);
  EXPECT_TRUE(limiter.admit().allowed);
  RateLimitDecision refused = limiter.admit();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.fill_rate, 1);
  EXPECT_EQ(refused.interval_s, 2);
}

}  // namespace
}  // namespace jirasim
