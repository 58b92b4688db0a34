#pragma once

#include <algorithm>
#include <map>

#include "common/store/rate_bucket_store.hpp"

namespace jirasync::fakes {

// Same refill arithmetic as the SQL bucket, in memory.
class FakeRateBucketStore final : public RateBucketStore {
 public:
  int64_t try_take(const std::string& bucket, double capacity, double refill_per_s,
                   int64_t now_ms) override {
    auto& b = buckets_[bucket];
    if (!b.init) b = {true, capacity, now_ms, b.blocked_until};
    if (b.blocked_until > now_ms) return b.blocked_until - now_ms;
    if (refill_per_s <= 0) return 0;
    b.tokens = std::min(capacity, b.tokens + (now_ms - b.updated) / 1000.0 * refill_per_s);
    b.updated = now_ms;
    if (b.tokens >= 1.0) {
      b.tokens -= 1.0;
      ++taken;
      return 0;
    }
    return std::max<int64_t>(1, static_cast<int64_t>((1.0 - b.tokens) / refill_per_s * 1000.0));
  }
  void block_until(const std::string& bucket, int64_t until_ms) override {
    auto& b = buckets_[bucket];
    b.blocked_until = std::max(b.blocked_until, until_ms);
  }
  int taken = 0;

 private:
  struct Bucket {
    bool init = false;
    double tokens = 0;
    int64_t updated = 0;
    int64_t blocked_until = 0;
  };
  std::map<std::string, Bucket> buckets_;
};

}  // namespace jirasync::fakes
