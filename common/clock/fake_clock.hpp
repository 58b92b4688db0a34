#pragma once

#include <atomic>

#include "common/clock/clock.hpp"

namespace jirasync {

// A clock for tests: time moves only when told to; sleeping advances it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void sleep_ms(int64_t ms) override {
    if (ms > 0) now_ += ms;
  }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace jirasync
