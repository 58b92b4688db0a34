#include "services/api/request_rate.hpp"

namespace jirasync {

RequestRate::RequestRate(double rate_per_s, int burst)
    : bucket_(static_cast<double>(burst), rate_per_s), unlimited_(rate_per_s == 0) {}

int64_t RequestRate::take(const std::string& key_name, int64_t now_ms) {
  if (unlimited_) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key_name);
  if (it == states_.end()) it = states_.emplace(key_name, bucket_.fresh(now_ms)).first;
  return bucket_.take(it->second, now_ms);
}

}  // namespace jirasync
