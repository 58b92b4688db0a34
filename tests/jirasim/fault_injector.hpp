#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <vector>

namespace jirasim {

// Failure modes real Jira (and the proxies in front of it) produce. Rates are
// probabilities per REST request, 0..1.
struct FaultSettings {
  double error_rate = 0;                           // answer one of error_statuses
  std::vector<int> error_statuses{500, 502, 503};  // picked uniformly
  int64_t latency_ms = 0;                          // added to every REST response
  double disconnect_rate = 0;                      // close the connection mid-body
  double malformed_rate = 0;                       // 200 with a truncated JSON body
  double wrong_content_type_rate = 0;              // 200 with an HTML page
  double issue_error_rate = 0;  // bulkfetch: an issue lands in issueErrors (retriable)
};

// What to do to one request.
struct FaultPlan {
  int error_status = 0;  // 0 = none
  int64_t latency_ms = 0;
  bool disconnect = false;
  bool malformed = false;
  bool wrong_content_type = false;
};

class FaultInjector {
 public:
  explicit FaultInjector(uint64_t seed) : rng_(seed) {}

  void configure(const FaultSettings& settings);
  FaultSettings settings() const;
  FaultPlan plan();

 private:
  mutable std::mutex mu_;
  FaultSettings settings_;
  std::mt19937_64 rng_;
};

}  // namespace jirasim
