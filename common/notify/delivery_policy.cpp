#include "common/notify/delivery_policy.hpp"

#include <algorithm>

namespace jirasync {

std::optional<int64_t> DeliveryPolicy::next_attempt_ms(int64_t failed_attempts, int64_t created_ms,
                                                       int64_t now_ms) const {
  int64_t delay = base_ms;
  for (int64_t i = 1; i < failed_attempts && delay < max_delay_ms; ++i) delay *= 2;
  delay = std::min(delay, max_delay_ms);
  const int64_t at = now_ms + delay;
  if (at - created_ms > max_age_ms) return std::nullopt;
  return at;
}

}  // namespace jirasync
