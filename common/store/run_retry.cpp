#include "common/store/run_retry.hpp"

#include <algorithm>

namespace jirasync {

std::optional<int64_t> RunRetryPolicy::next_attempt_ms(int failed_attempt, int64_t now_ms) const {
  if (failed_attempt >= max_attempts) return std::nullopt;
  // Capped doubling: runs.max_attempts is not bounded, a shift must be.
  const int doublings = std::clamp(failed_attempt - 1, 0, 20);
  return now_ms + base_ms * (int64_t{1} << doublings);
}

}  // namespace jirasync
