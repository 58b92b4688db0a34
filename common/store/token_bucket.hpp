#pragma once

#include <cstdint>

#include "common/store/rate_bucket_store.hpp"

namespace jirasync {

// What a batch take got: `granted` tokens (at most what was asked) and, when
// that was fewer, the ms until the bucket can give the next one (a hold's end,
// or the next refill).
struct TokenGrant {
  int64_t granted = 0;
  int64_t next_ms = 0;
  friend bool operator==(const TokenGrant&, const TokenGrant&) = default;
};

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
  // Refills `state` and takes up to `wanted` tokens at once: as many as it
  // holds now (never more, so a batch is as exact as single takes).
  TokenGrant take_up_to(RateBucketState& state, int64_t now_ms, int64_t wanted) const;

 private:
  double capacity_;
  double refill_per_s_;
};

}  // namespace jirasync
