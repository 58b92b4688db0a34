#pragma once

#include <cstdint>
#include <optional>

namespace jirasync {

// When a sync run whose attempt failed is tried again. The fetcher (a failed
// fetch) and the scheduler (an expired lease) both follow it, so a cause that
// outlasts one attempt — a Jira or broker outage — cannot use up every
// attempt at once: the retry after attempt n waits base * 2^(n-1).
struct RunRetryPolicy {
  static constexpr int64_t kDefaultBaseMs = 5000;

  int max_attempts = 3;  // runs.max_attempts, the first one included
  int64_t base_ms = kDefaultBaseMs;

  // When the attempt after `failed_attempt` (1-based) is due, or nullopt when
  // `failed_attempt` was the last one.
  std::optional<int64_t> next_attempt_ms(int failed_attempt, int64_t now_ms) const;
};

}  // namespace jirasync
