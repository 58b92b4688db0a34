#include "common/store/token_bucket.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace jirasync {

TokenBucket::TokenBucket(double capacity, double refill_per_s)
    : capacity_(capacity), refill_per_s_(refill_per_s) {
  if (!(refill_per_s >= 0)) throw std::invalid_argument("refill_per_s: must be >= 0");
  if (refill_per_s > 0 && !(capacity >= 1)) {
    throw std::invalid_argument("capacity: must be >= 1 (a bucket must hold at least one token)");
  }
}

RateBucketState TokenBucket::fresh(int64_t now_ms) const {
  return {capacity_, now_ms, 0};
}

int64_t TokenBucket::take(RateBucketState& state, int64_t now_ms) const {
  return take_up_to(state, now_ms, 1).next_ms;
}

TokenGrant TokenBucket::take_up_to(RateBucketState& state, int64_t now_ms, int64_t wanted) const {
  if (wanted <= 0) return {};
  if (state.blocked_until_ms > now_ms) return {0, state.blocked_until_ms - now_ms};
  if (refill_per_s_ == 0) return {wanted, 0};
  // Clocks of different fetcher hosts disagree a little: time never runs
  // backwards for the bucket, so a late caller refills nothing.
  const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - state.updated_ms);
  double tokens = std::min(capacity_, state.tokens + elapsed_ms / 1000.0 * refill_per_s_);
  // Float noise must not cost a whole wait.
  const auto whole = static_cast<int64_t>(std::floor(tokens + 1e-9));
  TokenGrant got{std::min(wanted, whole), 0};
  tokens = std::max(0.0, tokens - static_cast<double>(got.granted));
  if (got.granted < wanted) {
    got.next_ms = std::max<int64_t>(
        1, static_cast<int64_t>(std::ceil((1.0 - tokens) / refill_per_s_ * 1000.0 - 1e-6)));
  }
  state.tokens = tokens;
  state.updated_ms = std::max(now_ms, state.updated_ms);
  return got;
}

}  // namespace jirasync
