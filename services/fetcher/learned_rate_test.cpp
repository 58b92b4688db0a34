#include "services/fetcher/learned_rate.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace jirasync {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

// Sends `n` requests at `now_ms`, as fast as the rate lets them go; returns
// when the last one went.
int64_t send(LearnedRate& rate, int n, int64_t now_ms) {
  int64_t last = now_ms;
  for (int i = 0; i < n; ++i) last = now_ms + rate.reserve(now_ms);
  return last;
}

TEST(LearnedRate, NothingIsPacedUntilJiraRefusesARequest) {
  LearnedRate rate(0);
  EXPECT_EQ(send(rate, 20, kT0), kT0);
  EXPECT_EQ(rate.per_s(kT0), 0);
}

TEST(LearnedRate, A429HalvesWhatWentOutInTheLastSecondAndSpacesTheNextRequests) {
  LearnedRate rate(0);
  send(rate, 8, kT0);
  rate.refused(kT0 + 100);
  EXPECT_DOUBLE_EQ(rate.per_s(kT0 + 100), 4.0);
  // Four a second: one every 250 ms (the rise in between is too small to show).
  EXPECT_EQ(rate.reserve(kT0 + 100), 0);
  EXPECT_EQ(rate.reserve(kT0 + 100), 250);
  EXPECT_EQ(rate.reserve(kT0 + 100), 500);
}

TEST(LearnedRate, RefusalsOfRequestsAlreadyInFlightHalveOnlyOnce) {
  LearnedRate rate(0);
  send(rate, 8, kT0);
  for (int i = 0; i < 7; ++i) rate.refused(kT0 + 100 + i);
  EXPECT_DOUBLE_EQ(rate.per_s(kT0 + 107), 4.0 + 0.5 * 0.007);
  rate.refused(kT0 + 1200);  // a second later: a new verdict
  EXPECT_LT(rate.per_s(kT0 + 1200), 4.0);
}

TEST(LearnedRate, RisesWithoutRefusalsAndIsForgottenAboveTheConfiguredRate) {
  LearnedRate rate(5);
  send(rate, 4, kT0);
  rate.refused(kT0);
  EXPECT_DOUBLE_EQ(rate.per_s(kT0), 2.0);
  EXPECT_DOUBLE_EQ(rate.per_s(kT0 + 4000), 4.0);
  EXPECT_EQ(rate.per_s(kT0 + 6000), 0) << "5/s is the configured limit's to keep";
  EXPECT_EQ(send(rate, 10, kT0 + 6000), kT0 + 6000);
}

TEST(LearnedRate, NeverFallsBelowTheFloor) {
  LearnedRate rate(0);
  for (int i = 0; i < 10; ++i) rate.refused(kT0 + i * 1000);
  EXPECT_GE(rate.per_s(kT0 + 9000), LearnedRate::kFloorPerS);
  // A request still goes at least every 2 s.
  rate.reserve(kT0 + 9000);
  EXPECT_LE(rate.reserve(kT0 + 9000), 2000);
}

// A storm: Jira allows 3 a second, eight requests keep trying. Once learned,
// no second sends more than Jira allows plus one halving's worth.
TEST(LearnedRate, UnderAStormTheRateSettlesNearWhatJiraAllows) {
  LearnedRate rate(0);
  int64_t now = kT0;
  int refused = 0;
  std::deque<int64_t> accepted;  // Jira's view: what it let through in the last second
  for (int i = 0; i < 400; ++i) {
    now += rate.reserve(now);
    while (!accepted.empty() && accepted.front() <= now - 1000) accepted.pop_front();
    if (accepted.size() >= 3) {
      ++refused;
      rate.refused(now);
    } else {
      accepted.push_back(now);
    }
  }
  EXPECT_LT(refused, 400 / 4) << "most requests were refused: the rate did not settle";
  EXPECT_GT(rate.per_s(now), 1.0);
  EXPECT_LT(rate.per_s(now), 6.0);
}

}  // namespace
}  // namespace jirasync
