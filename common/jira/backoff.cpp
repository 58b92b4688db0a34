#include "common/jira/backoff.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {
namespace {

double default_uniform() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

Backoff::Backoff(int64_t base_ms, int64_t cap_ms, RandomSource random)
    : base_ms_(base_ms), cap_ms_(cap_ms), random_(std::move(random)) {
  if (base_ms_ < 0) {
    throw std::invalid_argument("backoff base must not be negative, got " +
                                std::to_string(base_ms_) + " ms");
  }
  if (cap_ms_ < base_ms_) {
    throw std::invalid_argument("backoff cap (" + std::to_string(cap_ms_) +
                                " ms) must not be below the base (" + std::to_string(base_ms_) +
                                " ms)");
  }
  if (!random_) random_ = default_uniform;
}

int64_t Backoff::ceiling_ms(int retry) const {
  int64_t ceiling = base_ms_;
  // Doubling stops at the cap, so large retry numbers cannot overflow.
  for (int i = 1; i < retry && ceiling < cap_ms_; ++i) ceiling *= 2;
  return std::min(ceiling, cap_ms_);
}

int64_t Backoff::delay_ms(int retry) const {
  const double r = std::clamp(random_(), 0.0, 1.0);
  const auto ceiling = ceiling_ms(retry);
  return std::min(ceiling, static_cast<int64_t>(r * static_cast<double>(ceiling + 1)));
}

RetryPolicy RetryPolicy::from(const JiraSettings& settings) {
  if (settings.max_attempts < 1) {
    throw ConfigError("jira.max_attempts",
                      "must be at least 1, got " + std::to_string(settings.max_attempts));
  }
  if (settings.backoff_base_ms < 0) {
    throw ConfigError("jira.backoff_base_ms",
                      "must not be negative, got " + std::to_string(settings.backoff_base_ms));
  }
  if (settings.backoff_max_ms < settings.backoff_base_ms) {
    throw ConfigError("jira.backoff_max_ms", "must not be below jira.backoff_base_ms (" +
                                                 std::to_string(settings.backoff_base_ms) + ")");
  }
  return {settings.max_attempts, settings.backoff_base_ms, settings.backoff_max_ms};
}

int64_t retry_wait_ms(const JiraError& error, const Backoff& backoff, int retry) {
  return std::max(error.retry_after_ms().value_or(0), backoff.delay_ms(retry));
}

JiraError exhausted_error(const JiraError& last, int attempts) {
  return JiraError("after " + std::to_string(attempts) + " attempts: " + last.what(),
                   last.http_status(), last.retryable(), last.retry_after_ms());
}

}  // namespace jirasync
