#pragma once
// The pure parts of bench/fixed_rate_load: when each request is due, and the
// latency summary. Open loop: request i is due at start + i / rate whatever
// happened to the ones before, and its latency runs from that intended time,
// so a server that stalls is charged for every request the stall delayed
// (coordinated omission counted, as wrk2 does).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace jirasync::bench {

class FixedRateSchedule {
 public:
  using Duration = std::chrono::nanoseconds;

  // rate_per_s > 0; total is how many requests the run sends.
  FixedRateSchedule(double rate_per_s, std::size_t total);

  // When request `index` is due, from the start of the run.
  Duration due_at(std::size_t index) const;
  // How many requests are due `elapsed` after the start (index < this: due).
  std::size_t due_by(Duration elapsed) const;
  std::size_t total() const { return total_; }

 private:
  double rate_per_s_;
  std::size_t total_;
};

// The p-th percentile (0 < p <= 100) of values by nearest rank: the smallest
// value with at least p % of the values at or below it. Sorts `values`; 0
// when empty.
double percentile(std::vector<double>& values, double p);

struct LatencySummary {
  std::size_t count = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};
LatencySummary summarize(std::vector<double> latencies_ms);

}  // namespace jirasync::bench
