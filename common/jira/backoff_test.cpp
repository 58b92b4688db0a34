#include "common/jira/backoff.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "common/clock/fake_clock.hpp"
#include "common/config/config.hpp"

namespace jirasync {
namespace {

using ::testing::ElementsAre;

Backoff::RandomSource fixed(double value) {
  return [value] { return value; };
}

TEST(Backoff, CeilingDoublesUpToTheCap) {
  Backoff backoff(100, 1000, fixed(0.5));
  EXPECT_EQ(backoff.ceiling_ms(1), 100);
  EXPECT_EQ(backoff.ceiling_ms(2), 200);
  EXPECT_EQ(backoff.ceiling_ms(3), 400);
  EXPECT_EQ(backoff.ceiling_ms(4), 800);
  EXPECT_EQ(backoff.ceiling_ms(5), 1000);
  EXPECT_EQ(backoff.ceiling_ms(500), 1000);  // no overflow for absurd retry numbers
}

TEST(Backoff, FullJitterSpansZeroToTheCeiling) {
  EXPECT_EQ(Backoff(100, 1000, fixed(0.0)).delay_ms(3), 0);
  EXPECT_EQ(Backoff(100, 1000, fixed(0.5)).delay_ms(3), 200);
  EXPECT_EQ(Backoff(100, 1000, fixed(0.999999)).delay_ms(3), 400);
  EXPECT_EQ(Backoff(100, 1000, fixed(0.999999)).delay_ms(9), 1000);
}

TEST(Backoff, DefaultJitterStaysInRange) {
  Backoff backoff(100, 1000);
  bool varied = false;
  const int64_t first = backoff.delay_ms(4);
  for (int i = 0; i < 200; ++i) {
    const int64_t delay = backoff.delay_ms(4);
    EXPECT_GE(delay, 0);
    EXPECT_LE(delay, 800);
    varied = varied || delay != first;
  }
  EXPECT_TRUE(varied);
}

TEST(Backoff, RejectsNonsense) {
  EXPECT_THROW(Backoff(-1, 100), std::invalid_argument);
  EXPECT_THROW(Backoff(500, 100), std::invalid_argument);
}

TEST(RetryPolicy, ComesFromJiraSettingsAndNamesBadFields) {
  JiraSettings settings;
  settings.max_attempts = 7;
  settings.backoff_base_ms = 10;
  settings.backoff_max_ms = 90;
  auto policy = RetryPolicy::from(settings);
  EXPECT_EQ(policy.max_attempts, 7);
  EXPECT_EQ(policy.base_ms, 10);
  EXPECT_EQ(policy.cap_ms, 90);

  settings.max_attempts = 0;
  try {
    RetryPolicy::from(settings);
    ADD_FAILURE() << "max_attempts 0 accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.max_attempts");
  }
  settings.max_attempts = 3;
  settings.backoff_max_ms = 5;
  try {
    RetryPolicy::from(settings);
    ADD_FAILURE() << "cap below base accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.backoff_max_ms");
  }
}

class CallWithBackoffTest : public ::testing::Test {
 protected:
  RetryHooks recording_hooks() {
    RetryHooks hooks;
    hooks.before_attempt = [this](int attempt) { attempts_.push_back(attempt); };
    hooks.before_wait = [this](const JiraError&, int, int64_t wait_ms) {
      waits_.push_back(wait_ms);
    };
    return hooks;
  }

  FakeClock clock_{1'000'000};
  RetryPolicy policy_{4, 100, 1000};
  std::vector<int> attempts_;
  std::vector<int64_t> waits_;
};

TEST_F(CallWithBackoffTest, RetriesRetryableErrorsThenReturns) {
  int calls = 0;
  const int result = call_with_backoff(
      clock_, policy_,
      [&] {
        if (++calls < 3) throw JiraError("HTTP 503", 503, true);
        return 42;
      },
      recording_hooks(), fixed(0.999999));
  EXPECT_EQ(result, 42);
  EXPECT_THAT(attempts_, ElementsAre(1, 2, 3));
  EXPECT_THAT(waits_, ElementsAre(100, 200));
  EXPECT_EQ(clock_.now_ms(), 1'000'000 + 300);  // slept on the clock, never for real
}

TEST_F(CallWithBackoffTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  int calls = 0;
  try {
    call_with_backoff(
        clock_, policy_,
        [&]() -> int { throw JiraError("boom " + std::to_string(++calls), 502, true); },
        recording_hooks(), fixed(0.0));
    ADD_FAILURE() << "no error after exhausting attempts";
  } catch (const JiraError& e) {
    EXPECT_STREQ(e.what(), "after 4 attempts: boom 4");
    EXPECT_EQ(e.http_status(), 502);
  }
  EXPECT_EQ(calls, 4);
  EXPECT_THAT(attempts_, ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(waits_.size(), 3u);
}

TEST_F(CallWithBackoffTest, HonoursRetryAfterWhenLongerThanTheBackoff) {
  int calls = 0;
  call_with_backoff(
      clock_, policy_,
      [&] {
        ++calls;
        if (calls == 1) throw JiraError("429", 429, true, 5000);  // longer than backoff
        if (calls == 2) throw JiraError("429", 429, true, 10);    // shorter than backoff
        return 0;
      },
      recording_hooks(), fixed(0.999999));
  EXPECT_THAT(waits_, ElementsAre(5000, 200));
  EXPECT_EQ(clock_.now_ms(), 1'000'000 + 5200);
}

TEST_F(CallWithBackoffTest, DoesNotRetryNonRetryableErrors) {
  int calls = 0;
  try {
    call_with_backoff(
        clock_, policy_,
        [&]() -> int {
          ++calls;
          throw JiraError("Jira rejected the credentials for a@b.c (HTTP 401)", 401, false);
        },
        recording_hooks());
    ADD_FAILURE() << "no error";
  } catch (const JiraError& e) {
    EXPECT_STREQ(e.what(), "Jira rejected the credentials for a@b.c (HTTP 401)");
    EXPECT_FALSE(e.retryable());
  }
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(waits_.empty());
  EXPECT_EQ(clock_.now_ms(), 1'000'000);
}

TEST_F(CallWithBackoffTest, LetsOtherExceptionsThrough) {
  int calls = 0;
  EXPECT_THROW(call_with_backoff(clock_, policy_,
                                 [&]() -> int {
                                   ++calls;
                                   throw std::logic_error("bug");
                                 }),
               std::logic_error);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace jirasync
