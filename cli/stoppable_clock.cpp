#include "cli/stoppable_clock.hpp"

#include <chrono>

namespace jirasync {

void StoppableClock::sleep_ms(int64_t ms) {
  if (ms <= 0) return;
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopped_; });
}

void StoppableClock::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  wake_.notify_all();
}

}  // namespace jirasync
