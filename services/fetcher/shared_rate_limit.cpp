#include "services/fetcher/shared_rate_limit.hpp"

#include <algorithm>

namespace jirasync {
namespace {

// Our bucket holds one token less than Jira's: Jira's then always keeps one
// in hand, so requests that reach it a little out of step with the tokens we
// took (threads, connections and networks add jitter up to one refill
// interval) are not refused. A bucket of one has nothing to spare.
double reserve_one(double burst) {
  return std::max(1.0, burst - 1.0);
}

}  // namespace

SharedRateLimit::SharedRateLimit(RateBucketStore& store, Clock& clock, std::string bucket,
                                 double rate_per_s, double burst)
    : store_(store),
      clock_(clock),
      bucket_(std::move(bucket)),
      rule_(reserve_one(burst), rate_per_s) {}

int64_t SharedRateLimit::acquire() {
  int64_t waited = 0;
  for (;;) {
    int64_t wait = 0;
    {
      std::lock_guard lock(mutex_);
      const int64_t now = clock_.now_ms();
      wait = store_.update(bucket_, rule_.fresh(now),
                           [&](RateBucketState& s) { return rule_.take(s, now); });
    }
    if (wait <= 0) return waited;
    // Re-check at least every second: another process may have been blocked
    // by a Retry-After that has since expired.
    const int64_t step = std::min<int64_t>(wait, 1000);
    clock_.sleep_ms(step);
    waited += step;
    record_wait(step);
  }
}

void SharedRateLimit::observe_waits(std::function<void(int64_t)> waited) {
  std::lock_guard lock(observer_mutex_);
  observer_ = std::move(waited);
}

void SharedRateLimit::record_wait(int64_t ms) {
  std::function<void(int64_t)> observer;
  {
    std::lock_guard lock(observer_mutex_);
    observer = observer_;
  }
  if (observer && ms > 0) observer(ms);
}

void SharedRateLimit::block_for(int64_t ms) {
  if (ms <= 0) return;
  std::lock_guard lock(mutex_);
  store_.block_until(bucket_, clock_.now_ms() + ms);
}

}  // namespace jirasync
