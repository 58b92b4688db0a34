#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace jirasync {

// A rate bucket as stored: what a token bucket needs to decide, nothing more.
struct RateBucketState {
  double tokens = 0;
  int64_t updated_ms = 0;
  int64_t blocked_until_ms = 0;  // a 429's Retry-After holds every fetcher until then
};

// Where the one token bucket shared by every fetcher process lives (a row per
// bucket). The store only keeps the state consistent across processes; the
// arithmetic is the caller's (TokenBucket in the fetcher), so the SQL store and
// the fake cannot disagree about it.
class RateBucketStore {
 public:
  // Changes the state and returns what the change decided (the ms to wait).
  using Step = std::function<int64_t(RateBucketState&)>;

  virtual ~RateBucketStore() = default;
  // Runs `step` on the bucket's state with every other caller held off, and
  // stores what it leaves. A bucket seen for the first time starts as `fresh`.
  virtual int64_t update(const std::string& bucket, const RateBucketState& fresh,
                         const Step& step) = 0;
  // Holds the bucket until `until_ms`; never moves an existing hold earlier.
  virtual void block_until(const std::string& bucket, int64_t until_ms) = 0;
};

}  // namespace jirasync
