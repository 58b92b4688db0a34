#include "services/fetcher/shared_rate_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

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

TEST(SharedRateLimit, AfterA429TheProcessSpacesItsRequestsAtTheRateJiraAllowed) {
  FakeClock clock;
  fakes::FakeRateBucketStore store;
  SharedRateLimit limit(store, clock, "jira", 0.0, 1.0);  // no limit configured
  for (int i = 0; i < 8; ++i) EXPECT_EQ(limit.acquire(), 0) << i;
  limit.refused();  // eight went out in the last second: four a second from now on
  const int64_t t0 = clock.now_ms();
  for (int i = 0; i < 4; ++i) limit.acquire();
  EXPECT_GE(clock.now_ms() - t0, 3 * 240) << "the requests after the 429 were not spaced";
  EXPECT_LE(clock.now_ms() - t0, 3 * 260);
}

TEST(SharedRateLimit, AStopEndsAWaitUnderTheLearnedRate) {
  FakeClock clock;
  fakes::FakeRateBucketStore store;
  SharedRateLimit limit(store, clock, "jira", 0.0, 1.0);
  limit.acquire();
  limit.refused();  // one a second, at the floor of what it learns from one request
  limit.acquire();
  std::atomic<bool> stop{true};
  const int64_t t0 = clock.now_ms();
  EXPECT_THROW(limit.acquire(&stop), RateWaitInterrupted);
  EXPECT_LT(clock.now_ms() - t0, 200) << "it waited out its turn despite the stop";
}

// The fake store, watched: counts the takes and what each took, and can hold
// one take until the test has its waiters lined up (a slow round trip).
class WatchedStore final : public RateBucketStore {
 public:
  int64_t update(const std::string& bucket, const RateBucketState& fresh,
                 const Step& step) override {
    int number = 0;
    {
      std::unique_lock lock(mutex_);
      number = ++updates_;
      if (number == hold_update_) released_.wait(lock, [&] { return !held_; });
      if (number == fail_update_) throw std::runtime_error("database went away");
    }
    double before = 0;
    double after = 0;
    const int64_t result = inner_.update(bucket, fresh, [&](RateBucketState& s) {
      before = s.tokens;
      const int64_t r = step(s);
      after = s.tokens;
      return r;
    });
    std::lock_guard lock(mutex_);
    taken_.push_back(before - after);
    return result;
  }
  void block_until(const std::string& bucket, int64_t until_ms) override {
    inner_.block_until(bucket, until_ms);
  }
  void hold(int update_number) { hold_update_ = update_number; }
  void fail(int update_number) { fail_update_ = update_number; }
  void release() {
    std::lock_guard lock(mutex_);
    held_ = false;
    released_.notify_all();
  }
  int updates() {
    std::lock_guard lock(mutex_);
    return updates_;
  }
  // Tokens each take left out of the bucket (refills before the take aside).
  std::vector<double> taken() {
    std::lock_guard lock(mutex_);
    return taken_;
  }

 private:
  fakes::FakeRateBucketStore inner_;
  std::mutex mutex_;
  std::condition_variable released_;
  int updates_ = 0;
  int hold_update_ = 0;
  int fail_update_ = 0;
  bool held_ = true;
  std::vector<double> taken_;
};

// Polls (no sleep-and-hope): the waiters are lined up once the limit counts them.
void wait_for_waiting(SharedRateLimit& limit, size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (limit.waiting() != n) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "waiting " << limit.waiting();
    std::this_thread::yield();
  }
}

TEST(SharedRateLimit, RequestsWaitingTogetherTakeTheirTokensInOneTransaction) {
  FakeClock clock;
  WatchedStore store;
  store.hold(1);
  SharedRateLimit limit(store, clock, "jira", 50.0, 11.0);  // ten tokens to take
  std::vector<std::thread> requests;
  requests.emplace_back([&] { limit.acquire(); });
  // The first request's take is in the database; seven more line up behind it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.updates() < 1) ASSERT_LT(std::chrono::steady_clock::now(), deadline);
  for (int i = 0; i < 7; ++i) requests.emplace_back([&] { limit.acquire(); });
  wait_for_waiting(limit, 8);
  store.release();
  for (auto& r : requests) r.join();
  EXPECT_EQ(store.updates(), 2);
  EXPECT_EQ(store.taken(), (std::vector<double>{1, 7}));
  EXPECT_EQ(limit.waiting(), 0u);
}

TEST(SharedRateLimit, TokensAreHandedOutInTheOrderTheyWereAskedFor) {
  FakeClock clock;
  WatchedStore store;
  SharedRateLimit limit(store, clock, "jira", 1.0, 2.0);  // one token, one a second
  EXPECT_EQ(limit.acquire(), 0);                          // the bucket is dry from here
  store.hold(2);
  constexpr int kRequests = 5;
  std::vector<int64_t> waited(kRequests, -1);
  std::vector<std::thread> requests;
  for (int i = 0; i < kRequests; ++i) {
    requests.emplace_back([&, i] { waited[i] = limit.acquire(); });
    wait_for_waiting(limit, static_cast<size_t>(i + 1));
  }
  store.release();
  for (auto& r : requests) r.join();
  // A token a second, to the first asker first.
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(waited[i], (i + 1) * 1000) << "request " << i;
}

TEST(SharedRateLimit, AFailedTakeFailsItsCallerAndTheOthersCarryOn) {
  FakeClock clock;
  WatchedStore store;
  store.hold(1);
  store.fail(1);
  SharedRateLimit limit(store, clock, "jira", 50.0, 11.0);
  std::atomic<int> failed{0};
  std::atomic<int> got{0};
  auto request = [&] {
    try {
      limit.acquire();
      ++got;
    } catch (const std::runtime_error&) {
      ++failed;
    }
  };
  std::vector<std::thread> requests;
  requests.emplace_back(request);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.updates() < 1) ASSERT_LT(std::chrono::steady_clock::now(), deadline);
  for (int i = 0; i < 3; ++i) requests.emplace_back(request);
  wait_for_waiting(limit, 4);
  store.release();
  for (auto& r : requests) r.join();
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(got.load(), 3);
  EXPECT_EQ(limit.waiting(), 0u);
}

}  // namespace
}  // namespace jirasync
