#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "common/clock/clock.hpp"

namespace jirasync {

// How a role waits for a dependency (the database, the broker) that stopped
// answering: capped exponential backoff (0.5 s, 1 s, 2 s ... 10 s), waited in
// slices of at most 100 ms so a stop request (SIGTERM) is seen at once.
class OutageBackoff {
 public:
  static constexpr int64_t kFirstWaitMs = 500;
  static constexpr int64_t kMaxWaitMs = 10'000;

  OutageBackoff(Clock& clock, const std::atomic<bool>& stop, int64_t first_wait_ms = kFirstWaitMs,
                int64_t max_wait_ms = kMaxWaitMs);

  // Counts one more failure; returns the wait it calls for: the first wait,
  // twice that, ... at most the cap.
  int64_t record_failure();
  // Sleeps `ms` in short slices; false when a stop was requested (before or meanwhile).
  bool sleep(int64_t ms);
  // After a success: the next failure waits the first wait again.
  void reset() { failures_ = 0; }

  int failures() const { return failures_; }
  bool stopping() const { return stop_.load(); }

 private:
  Clock& clock_;
  const std::atomic<bool>& stop_;
  const int64_t first_wait_ms_;
  const int64_t max_wait_ms_;
  int failures_ = 0;
};

// A stop was requested while waiting for a dependency to come back.
class OutageInterrupted : public std::runtime_error {
 public:
  explicit OutageInterrupted(const std::string& what)
      : std::runtime_error(what + ": stopped while waiting for a dependency") {}
};

// One line per failed try and one when it works again, for the operator.
void log_outage_retry(const std::string& what, const std::exception& error, int failures,
                      int64_t wait_ms);
void log_outage_over(const std::string& what, int failures);

// Calls `fn` until it returns, waiting out each std::runtime_error (what a
// database or broker that does not answer throws) with `backoff`. Logic
// errors and invalid arguments are bugs or bad input and pass through, as
// does anything thrown once a stop was requested. Throws OutageInterrupted
// when the stop comes while waiting.
template <typename Fn>
auto retry_through_outage(OutageBackoff& backoff, const std::string& what, Fn&& fn)
    -> decltype(fn()) {
  backoff.reset();
  for (;;) {
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        if (backoff.failures() > 0) log_outage_over(what, backoff.failures());
        return;
      } else {
        auto result = fn();
        if (backoff.failures() > 0) log_outage_over(what, backoff.failures());
        return result;
      }
    } catch (const std::runtime_error& e) {
      if (backoff.stopping()) throw;
      const int64_t wait_ms = backoff.record_failure();
      log_outage_retry(what, e, backoff.failures(), wait_ms);
      if (!backoff.sleep(wait_ms)) throw OutageInterrupted(what);
    }
  }
}

}  // namespace jirasync
