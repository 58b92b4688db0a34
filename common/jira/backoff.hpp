#pragma once

#include <cstdint>
#include <functional>
#include <type_traits>

#include "common/clock/clock.hpp"
#include "common/jira/jira_client.hpp"

namespace jirasync {

struct JiraSettings;

// Exponential backoff with full jitter: retry n (1-based) waits a uniformly
// random time in [0, min(cap, base * 2^(n-1))]. Full jitter spreads many
// fetchers that failed together, so they do not return in lockstep.
class Backoff {
 public:
  // Uniform in [0, 1). Injected so tests can pin the jitter.
  using RandomSource = std::function<double()>;

  // Throws std::invalid_argument for a negative base or a cap below the base.
  Backoff(int64_t base_ms, int64_t cap_ms, RandomSource random = {});

  // The upper bound of the wait before retry `retry` (1-based).
  int64_t ceiling_ms(int retry) const;
  // A jittered wait before retry `retry`.
  int64_t delay_ms(int retry) const;

 private:
  int64_t base_ms_;
  int64_t cap_ms_;
  RandomSource random_;
};

struct RetryPolicy {
  int max_attempts = 5;  // including the first
  int64_t base_ms = 500;
  int64_t cap_ms = 30000;

  // jira.max_attempts, jira.backoff_base_ms, jira.backoff_max_ms.
  static RetryPolicy from(const JiraSettings& settings);
};

struct RetryHooks {
  // Before every attempt (1-based), e.g. to take a token from the shared rate
  // bucket; may block or throw.
  std::function<void(int attempt)> before_attempt;
  // After a retryable failure, before sleeping `wait_ms`; e.g. to log, or to
  // publish a Retry-After as the shared "blocked until".
  std::function<void(const JiraError& error, int attempt, int64_t wait_ms)> before_wait;
};

// How long to wait after `error` before retry `retry`: the backoff, or Jira's
// Retry-After when that is longer.
int64_t retry_wait_ms(const JiraError& error, const Backoff& backoff, int retry);

// The error thrown once every attempt failed: "after N attempts: <last error>",
// with the last error's status and flags.
JiraError exhausted_error(const JiraError& last, int attempts);

// Calls `fn` until it returns, retrying retryable JiraErrors up to
// policy.max_attempts in all, sleeping on `clock` between attempts.
// Non-retryable errors and other exceptions propagate at once.
template <class Fn>
std::invoke_result_t<Fn&> call_with_backoff(Clock& clock, const RetryPolicy& policy, Fn&& fn,
                                            const RetryHooks& hooks = {},
                                            Backoff::RandomSource random = {}) {
  const Backoff backoff(policy.base_ms, policy.cap_ms, std::move(random));
  const int max_attempts = policy.max_attempts < 1 ? 1 : policy.max_attempts;
  for (int attempt = 1;; ++attempt) {
    if (hooks.before_attempt) hooks.before_attempt(attempt);
    try {
      return fn();
    } catch (const JiraError& error) {
      if (!error.retryable()) throw;
      if (attempt >= max_attempts) throw exhausted_error(error, attempt);
      const int64_t wait_ms = retry_wait_ms(error, backoff, attempt);
      if (hooks.before_wait) hooks.before_wait(error, attempt, wait_ms);
      clock.sleep_ms(wait_ms);
    }
  }
}

}  // namespace jirasync
