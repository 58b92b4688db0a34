#include "tests/jirasim/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace jirasim {

std::pair<int, int> fill_rate_and_interval(double per_second) {
  if (per_second <= 0) return {0, 0};
  for (int interval = 1; interval <= 60; ++interval) {
    const double tokens = per_second * interval;
    if (tokens >= 1 && std::abs(tokens - std::round(tokens)) < 1e-6)
      return {static_cast<int>(std::round(tokens)), interval};
  }
  if (per_second >= 1) return {static_cast<int>(std::round(per_second)), 1};
  return {1, static_cast<int>(std::round(1 / per_second))};
}

void RateLimiter::configure(double per_second, int burst) {
  std::lock_guard lock(mu_);
  per_second_ = per_second > 0 ? per_second : 0;
  burst_ = per_second_ > 0
               ? std::max(1, burst > 0 ? burst : static_cast<int>(std::ceil(per_second_)))
               : 0;
  tokens_ = burst_;
  refilled_at_ms_ = clock_.now_ms();
}

bool RateLimiter::enabled() const {
  std::lock_guard lock(mu_);
  return per_second_ > 0;
}

double RateLimiter::per_second() const {
  std::lock_guard lock(mu_);
  return per_second_;
}

int RateLimiter::burst() const {
  std::lock_guard lock(mu_);
  return burst_;
}

RateLimitDecision RateLimiter::admit() {
  std::lock_guard lock(mu_);
  RateLimitDecision d;
  if (per_second_ <= 0) return d;
  int64_t now = clock_.now_ms();
  if (now > refilled_at_ms_) {
    tokens_ = std::min<double>(burst_, tokens_ + (now - refilled_at_ms_) * per_second_ / 1000.0);
    refilled_at_ms_ = now;
  }
  d.limit = burst_;
  std::tie(d.fill_rate, d.interval_s) = fill_rate_and_interval(per_second_);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    d.remaining = static_cast<int>(std::floor(tokens_));
    return d;
  }
  d.allowed = false;
  d.remaining = 0;
  double wait_ms = (1.0 - tokens_) * 1000.0 / per_second_;
  d.retry_after_s = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000.0)));
  d.reset_ms = now + d.retry_after_s * 1000;
  return d;
}

}  // namespace jirasim
