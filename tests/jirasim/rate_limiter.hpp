#pragma once

#include <cstdint>
#include <mutex>
#include <utility>

#include "common/clock/clock.hpp"

namespace jirasim {

struct RateLimitDecision {
  bool allowed = true;
  int limit = 0;      // bucket capacity (X-RateLimit-Limit)
  int remaining = 0;  // whole tokens left after this request
  int64_t retry_after_s = 0;
  int64_t reset_ms = 0;  // when a token is available again
  // The refill as Jira states it: fill_rate tokens every interval_s seconds
  // (X-RateLimit-FillRate, X-RateLimit-Interval-Seconds; python-jira reads them).
  int fill_rate = 0;
  int interval_s = 0;
};

// Whole tokens per whole seconds for a rate: 2/s -> (2, 1), 0.5/s -> (1, 2),
// 2.5/s -> (5, 2). Rates no interval up to a minute expresses are rounded.
std::pair<int, int> fill_rate_and_interval(double per_second);

// One token bucket in front of every REST endpoint, as Jira's burst limit.
// Off until configured with a positive rate.
class RateLimiter {
 public:
  explicit RateLimiter(const jirasync::Clock& clock) : clock_(clock) {}

  void configure(double per_second, int burst);
  bool enabled() const;
  double per_second() const;
  int burst() const;
  RateLimitDecision admit();

 private:
  const jirasync::Clock& clock_;
  mutable std::mutex mu_;
  double per_second_ = 0;
  int burst_ = 0;
  double tokens_ = 0;
  int64_t refilled_at_ms_ = 0;
};

}  // namespace jirasim
