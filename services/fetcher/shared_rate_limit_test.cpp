#include "services/fetcher/shared_rate_limit.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"

namespace jirasync {
namespace {

TEST(SharedRateLimit, BurstThenWaitsForRefill) {
  FakeClock clock;
  fakes::FakeRateBucketStore store;
  SharedRateLimit limit(store, clock, "jira", 2.0, 3.0);
  EXPECT_EQ(limit.acquire(), 0);
  EXPECT_EQ(limit.acquire(), 0);
  const int64_t waited = limit.acquire();
  EXPECT_GE(waited, 400);
  EXPECT_LE(waited, 600);
}

TEST(SharedRateLimit, KeepsOneTokenOfJirasBucketInHand) {
  FakeClock clock;
  fakes::FakeRateBucketStore store;
  SharedRateLimit limit(store, clock, "jira", 5.0, 5.0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limit.acquire(), 0) << i;
  EXPECT_GT(limit.acquire(), 0) << "the fifth of Jira's five tokens is the margin";
  // A bucket of one has no margin to keep.
  SharedRateLimit one(store, clock, "one", 5.0, 1.0);
  EXPECT_EQ(one.acquire(), 0);
}

TEST(SharedRateLimit, RetryAfterHoldsEveryoneUntilItPasses) {
  FakeClock clock;
  fakes::FakeRateBucketStore store;
  SharedRateLimit a(store, clock, "jira", 100.0, 100.0);
  SharedRateLimit b(store, clock, "jira", 100.0, 100.0);
  a.block_for(3000);
  const int64_t t0 = clock.now_ms();
  b.acquire();
  EXPECT_GE(clock.now_ms() - t0, 3000);
}

}  // namespace
}  // namespace jirasync
