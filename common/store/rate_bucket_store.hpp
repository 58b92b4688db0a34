#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// One token bucket shared by every fetcher process (a row per bucket), plus a
// shared "blocked until" that a 429's Retry-After sets for all of them.
class RateBucketStore {
 public:
  virtual ~RateBucketStore() = default;
  // Takes one token if available (refilling by elapsed time first). Returns 0
  // when taken, otherwise how many ms to wait before trying again.
  virtual int64_t try_take(const std::string& bucket, double capacity, double refill_per_s,
                           int64_t now_ms) = 0;
  virtual void block_until(const std::string& bucket, int64_t until_ms) = 0;
};

}  // namespace jirasync
