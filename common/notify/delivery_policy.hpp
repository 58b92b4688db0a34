#pragma once

#include <cstdint>
#include <optional>

namespace jirasync {

// When a notification whose delivery failed is tried again: base * 2^(n-1)
// after the n-th failed attempt, at most max_delay, and never once it is
// older than max_age (then it is dropped, with its last error kept).
struct DeliveryPolicy {
  int64_t base_ms = 5000;
  int64_t max_delay_ms = 3600000;
  int64_t max_age_ms = 24 * 3600000;

  // nullopt: give up.
  std::optional<int64_t> next_attempt_ms(int64_t failed_attempts, int64_t created_ms,
                                         int64_t now_ms) const;
};

}  // namespace jirasync
