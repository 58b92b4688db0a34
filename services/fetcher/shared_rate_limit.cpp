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

// Look again at least every second: a wait is only as old as the row it was read from.
constexpr int64_t kLongestPauseMs = 1000;
// A wait under the learned rate looks at the stop flag this often.
constexpr int64_t kPaceStepMs = 100;

}  // namespace

SharedRateLimit::SharedRateLimit(RateBucketStore& store, Clock& clock, std::string bucket,
                                 double rate_per_s, double burst)
    : store_(store),
      clock_(clock),
      bucket_(std::move(bucket)),
      rule_(reserve_one(burst), rate_per_s),
      learned_(rate_per_s) {}

SharedRateLimit::Take SharedRateLimit::take(int64_t wanted) {
  std::lock_guard lock(store_mutex_);
  const int64_t now = clock_.now_ms();
  TokenGrant got;
  store_.update(bucket_, rule_.fresh(now), [&](RateBucketState& s) {
    got = rule_.take_up_to(s, now, wanted);
    return got.next_ms;
  });
  // Counted from the time the bucket saw, not from when the answer came back.
  return {got.granted, got.granted < wanted ? now + std::max<int64_t>(1, got.next_ms) : 0};
}

int64_t SharedRateLimit::pace(const std::atomic<bool>* stop) {
  int64_t wait = 0;
  {
    std::lock_guard lock(learned_mutex_);
    wait = learned_.reserve(clock_.now_ms());
  }
  for (int64_t left = wait; left > 0; left -= kPaceStepMs) {
    if (stop != nullptr && stop->load()) throw RateWaitInterrupted();
    clock_.sleep_ms(std::min(left, kPaceStepMs));
  }
  return wait;
}

void SharedRateLimit::refused() {
  std::lock_guard lock(learned_mutex_);
  learned_.refused(clock_.now_ms());
}

int64_t SharedRateLimit::acquire(const std::atomic<bool>* stop) {
  // Paced before taking a token, so a token is spent as soon as it is taken.
  const int64_t paced = pace(stop);
  std::unique_lock lock(line_mutex_);
  Waiter me;
  me.paused_before_ms = paused_ms_;
  line_.push_back(&me);
  // Whoever finds nobody taking takes for the whole line, hands the tokens
  // out from the front, and pauses while the bucket is dry, until its own
  // token came; then the next waiter takes over.
  while (!me.served) {
    if (taking_) {
      served_.wait(lock);
      continue;
    }
    taking_ = true;
    try {
      while (!me.served) {
        const int64_t pause = std::min(dry_until_ms_ - clock_.now_ms(), kLongestPauseMs);
        if (pause > 0) {
          lock.unlock();
          clock_.sleep_ms(pause);
          lock.lock();
          paused_ms_ += pause;
        }
        const auto wanted = static_cast<int64_t>(line_.size());
        lock.unlock();
        const Take got = take(wanted);
        lock.lock();
        // Nobody left the line meanwhile (only a taker leaves unserved), so
        // every token has its waiter.
        for (int64_t i = 0; i < got.granted && !line_.empty(); ++i) {
          Waiter& first = *line_.front();
          first.served = true;
          first.waited_ms = paused_ms_ - first.paused_before_ms;
          line_.pop_front();
        }
        dry_until_ms_ = got.dry_until_ms;
        served_.notify_all();
      }
    } catch (...) {
      if (!lock.owns_lock()) lock.lock();
      line_.remove(&me);
      taking_ = false;
      served_.notify_all();  // another waiter takes over
      throw;
    }
    taking_ = false;
    served_.notify_all();
  }
  const int64_t waited = paced + me.waited_ms;
  lock.unlock();
  record_wait(waited);
  return waited;
}

size_t SharedRateLimit::waiting() const {
  std::lock_guard lock(line_mutex_);
  return line_.size();
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
  std::lock_guard lock(store_mutex_);
  store_.block_until(bucket_, clock_.now_ms() + ms);
}

}  // namespace jirasync
