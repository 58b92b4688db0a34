#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <stdexcept>
#include <string>

#include "common/clock/clock.hpp"
#include "common/store/rate_bucket_store.hpp"
#include "common/store/token_bucket.hpp"
#include "services/fetcher/learned_rate.hpp"

namespace jirasync {

// A stop came while a request waited for its turn under the learned rate.
class RateWaitInterrupted : public std::runtime_error {
 public:
  RateWaitInterrupted() : std::runtime_error("rate wait interrupted by shutdown") {}
};

// The one Jira rate limit that every fetcher process obeys: a token bucket row
// in the database, so N fetchers together stay under it. It holds one token
// less than `burst`, so a bucket configured as Jira's draws no 429. Thread-safe:
// every request a fetcher keeps in flight needs its own token, but the requests
// waiting in this process at a time take theirs in one transaction (one thread
// takes for all of them, pausing while the bucket is dry) and get them in the
// order they asked.
class SharedRateLimit {
 public:
  SharedRateLimit(RateBucketStore& store, Clock& clock, std::string bucket, double rate_per_s,
                  double burst);

  // Blocks (on the clock) until a request may be sent. Returns the ms the
  // bucket made it wait (the pauses for refills and holds while it waited).
  // `stop`, when given, ends a wait under the learned rate (seconds, after a
  // 429) with RateWaitInterrupted.
  int64_t acquire(const std::atomic<bool>* stop = nullptr);
  // A 429 told us to hold off: every fetcher waits until then.
  void block_for(int64_t ms);
  // Jira refused a request with 429: this process slows down to what Jira
  // turned out to allow (LearnedRate), and speeds up again as it stops refusing.
  void refused();
  // From now on `waited` hears of every request's wait for a token, in ms, as
  // it gets its token (from that request's thread); an empty function stops that.
  void observe_waits(std::function<void(int64_t ms)> waited);
  // A pause made outside acquire() for this limit's sake (the backoff after
  // a 429), told to the observer like acquire()'s own.
  void record_wait(int64_t ms);
  // Requests of this process waiting for a token now.
  size_t waiting() const;

 private:
  // One transaction: up to `wanted` tokens, and when the bucket is dry until.
  struct Take {
    int64_t granted = 0;
    int64_t dry_until_ms = 0;  // 0: every token asked for was granted
  };
  Take take(int64_t wanted);
  // Waits for this process's next slot under the learned rate; returns the ms.
  int64_t pace(const std::atomic<bool>* stop);

  RateBucketStore& store_;
  Clock& clock_;
  std::string bucket_;
  TokenBucket rule_;
  std::mutex store_mutex_;  // the store's one connection serves one caller at a time

  // The requests waiting for a token, in asking order; tokens go to the front.
  struct Waiter {
    int64_t paused_before_ms = 0;  // paused_ms_ when it joined
    bool served = false;
    int64_t waited_ms = 0;  // the pauses while it was in line, set as it is served
  };
  mutable std::mutex line_mutex_;
  std::condition_variable served_;
  std::list<Waiter*> line_;
  bool taking_ = false;       // one waiter takes (and pauses) for the whole line
  int64_t dry_until_ms_ = 0;  // the last take found the bucket dry until then
  int64_t paused_ms_ = 0;     // the takers' pauses: a waiter waited what passed meanwhile

  std::mutex learned_mutex_;
  LearnedRate learned_;

  std::mutex observer_mutex_;
  std::function<void(int64_t)> observer_;
};

}  // namespace jirasync
