#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/store/rate_bucket_store.hpp"
#include "common/store/token_bucket.hpp"

namespace jirasync {

// The per-key request rate of the API: one token bucket per key name, in
// memory (each replica limits its own share; a key hitting N replicas gets
// N times the rate, which docs/configuration.md says). Thread-safe.
class RequestRate {
 public:
  // rate_per_s 0 = unlimited. Throws std::invalid_argument like TokenBucket.
  RequestRate(double rate_per_s, int burst);
  // 0 when the request may run, else the ms until the key may ask again.
  int64_t take(const std::string& key_name, int64_t now_ms);

 private:
  TokenBucket bucket_;
  bool unlimited_;
  std::mutex mu_;
  std::map<std::string, RateBucketState> states_;  // bounded by the number of keys
};

}  // namespace jirasync
