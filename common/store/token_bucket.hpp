#pragma once

#include <cstdint>

#include "common/store/rate_bucket_store.hpp"

namespace jirasync {

// The token-bucket rule of the shared Jira rate limit, pure: a bucket holds at
// most `capacity` tokens, refills at `refill_per_s`, and a request takes one.
// refill_per_s == 0 means unlimited (only a Retry-After hold makes callers wait).
class TokenBucket {
 public:
  // Throws std::invalid_argument naming the field for a negative rate or,
  // when limited, a capacity below one token.
  TokenBucket(double capacity, double refill_per_s);

  // A bucket nobody used yet: full.
  RateBucketState fresh(int64_t now_ms) const;
  // Refills `state` for the time since its last update and takes one token.
  // Returns 0 when taken, else the ms to wait before asking again.
  int64_t take(RateBucketState& state, int64_t now_ms) const;

 private:
  double capacity_;
  double refill_per_s_;
};

}  // namespace jirasync
