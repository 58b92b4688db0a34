#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "common/clock/clock.hpp"

namespace jirasync {

// The system clock, whose sleeps end early once stop() is called: the embedded
// scheduler sleeps between ticks on it, so stopping the pipeline does not wait
// out a tick (issue 13: `sync --wait` returned late). Only for waits that may
// be cut short (never a rate limit's).
class StoppableClock final : public Clock {
 public:
  int64_t now_ms() const override { return system_.now_ms(); }
  void sleep_ms(int64_t ms) override;
  // Ends the sleeps in progress; later ones return at once.
  void stop();

 private:
  SystemClock system_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopped_ = false;
};

}  // namespace jirasync
