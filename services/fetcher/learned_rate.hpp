#pragma once

#include <cstdint>
#include <deque>

namespace jirasync {

// The rate Jira turned out to allow this process, learned from its 429s the
// way TCP learns a link: halved on a refusal (to half of what went out in the
// last second), raised by kRisePerS every second without one, and forgotten
// once it is back above the configured rate. Without it, every request held
// by a Retry-After fires again the moment the hold ends and most are refused
// again: under a storm some request loses every attempt. Pure: the caller
// passes the time and keeps it under one lock.
class LearnedRate {
 public:
  static constexpr double kFloorPerS = 0.5;
  static constexpr double kRisePerS = 0.5;
  // When nothing is configured (0 = unlimited), forgotten above this.
  static constexpr double kUnlimitedPerS = 50;

  explicit LearnedRate(double configured_per_s);

  // Jira refused a request with 429 at `now_ms`. One halving per second: the
  // requests already in flight when the first refusal came are refused too,
  // and say nothing new.
  void refused(int64_t now_ms);
  // The ms to wait before the next request may go (0: now); the slot is
  // taken, so concurrent callers are spaced out.
  int64_t reserve(int64_t now_ms);
  // The rate in force, in requests per second; 0 when none was learned.
  double per_s(int64_t now_ms) const;

 private:
  void forget_before(int64_t now_ms);

  double ceiling_per_s_;
  double learned_per_s_ = 0;  // 0: nothing learned
  int64_t learned_at_ms_ = 0;
  int64_t next_slot_ms_ = 0;
  std::deque<int64_t> sent_ms_;  // requests let go in the last second
};

}  // namespace jirasync
