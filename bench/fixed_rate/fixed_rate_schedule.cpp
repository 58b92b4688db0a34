#include "bench/fixed_rate/fixed_rate_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace jirasync::bench {

FixedRateSchedule::FixedRateSchedule(double rate_per_s, std::size_t total)
    : rate_per_s_(rate_per_s), total_(total) {
  if (!(rate_per_s > 0)) throw std::invalid_argument("rate: must be above 0 requests/s");
}

FixedRateSchedule::Duration FixedRateSchedule::due_at(std::size_t index) const {
  return Duration(
      static_cast<std::int64_t>(std::llround(static_cast<double>(index) * 1e9 / rate_per_s_)));
}

std::size_t FixedRateSchedule::due_by(Duration elapsed) const {
  if (elapsed.count() < 0) return 0;
  // Index i is due when i * 1e9 / rate <= elapsed; the floor plus one, then
  // corrected for rounding at the boundary.
  auto n = static_cast<std::size_t>(
               std::floor(static_cast<double>(elapsed.count()) * rate_per_s_ / 1e9)) +
           1;
  while (n > 0 && due_at(n - 1) > elapsed) --n;
  while (n < total_ && due_at(n) <= elapsed) ++n;
  return std::min(n, total_);
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // The epsilon keeps 99.9 % of 1,000 at rank 999 (0.999 * 1000 is 999.0000000000001).
  auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size()) - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return values[rank - 1];
}

LatencySummary summarize(std::vector<double> latencies_ms) {
  LatencySummary s;
  s.count = latencies_ms.size();
  if (latencies_ms.empty()) return s;
  s.p50_ms = percentile(latencies_ms, 50);
  s.p90_ms = percentile(latencies_ms, 90);
  s.p99_ms = percentile(latencies_ms, 99);
  s.p999_ms = percentile(latencies_ms, 99.9);
  s.max_ms = latencies_ms.back();
  s.mean_ms =
      std::accumulate(latencies_ms.begin(), latencies_ms.end(), 0.0) / static_cast<double>(s.count);
  return s;
}

}  // namespace jirasync::bench
