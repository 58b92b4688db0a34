#include "common/jql/range_plan.hpp"

#include <algorithm>
#include <cmath>

namespace jirasync {
namespace {

// Below this many tickets every plan answers in a few milliseconds: no probe.
constexpr int64_t kSmallTable = 5000;

}  // namespace

int64_t range_probe_limit(const RangePlanInputs& in) {
  if (in.table_rows < kSmallTable || in.page_rows < 1) return 0;
  // With m matches spread evenly over the order, the walk reads about
  // page * rows / m rows and the range read m (and sorts them): the walk wins
  // by a margin of 4 once m >= 2 * sqrt(page * rows). A sixteenth of the
  // table at least bounds the walk's worst case (every match last in the
  // order) at 15 times the range read, for a typical gain of a hundred.
  const auto share = (in.table_rows + 15) / 16;
  const auto even = static_cast<int64_t>(std::ceil(
      2 * std::sqrt(static_cast<double>(in.page_rows) * static_cast<double>(in.table_rows))));
  return std::max(share, even);
}

bool walk_order_past_range(const RangePlanInputs& in, int64_t counted) {
  const int64_t limit = range_probe_limit(in);
  // A limit above the table: the range can never be large enough.
  return limit > 0 && limit <= in.table_rows && counted >= limit;
}

}  // namespace jirasync
