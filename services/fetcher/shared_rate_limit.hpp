#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "common/clock/clock.hpp"
#include "common/store/rate_bucket_store.hpp"
#include "common/store/token_bucket.hpp"

namespace jirasync {

// The one Jira rate limit that every fetcher process obeys: a token bucket row
// in the database, so N fetchers together stay under it. It holds one token
// less than `burst`, so a bucket configured as Jira's draws no 429. Thread-safe: every
// request a fetcher keeps in flight takes its own token.
class SharedRateLimit {
 public:
  SharedRateLimit(RateBucketStore& store, Clock& clock, std::string bucket, double rate_per_s,
                  double burst);

  // Blocks (on the clock) until a request may be sent. Returns the ms waited.
  int64_t acquire();
  // A 429 told us to hold off: every fetcher waits until then.
  void block_for(int64_t ms);

 private:
  RateBucketStore& store_;
  Clock& clock_;
  std::string bucket_;
  TokenBucket rule_;
  std::mutex mutex_;  // the store's one connection serves one caller at a time
};

}  // namespace jirasync
