#pragma once

#include <chrono>
#include <cstdint>

namespace jirasync {

// Time is a seam: every component that waits or stamps takes a Clock so that
// unit tests drive time with FakeClock instead of sleeping.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t now_ms() const = 0;
  // Blocks for `ms` of this clock's time (FakeClock advances instead).
  virtual void sleep_ms(int64_t ms) = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
  void sleep_ms(int64_t ms) override;
};

}  // namespace jirasync
