#pragma once

#include <algorithm>
#include <map>

#include "common/store/rate_bucket_store.hpp"

namespace jirasync::fakes {

// RateBucketStore in memory: the same contract as the SQL store (the rule
// itself is the caller's TokenBucket, so both run the same arithmetic).
class FakeRateBucketStore final : public RateBucketStore {
 public:
  int64_t update(const std::string& bucket, const RateBucketState& fresh,
                 const Step& step) override {
    auto [it, inserted] = buckets_.try_emplace(bucket, fresh);
    return step(it->second);
  }
  void block_until(const std::string& bucket, int64_t until_ms) override {
    auto [it, inserted] = buckets_.try_emplace(bucket, RateBucketState{});
    it->second.blocked_until_ms = std::max(it->second.blocked_until_ms, until_ms);
  }

 private:
  std::map<std::string, RateBucketState> buckets_;
};

}  // namespace jirasync::fakes
