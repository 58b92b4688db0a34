#include "services/fetcher/in_flight_slots.hpp"

#include <algorithm>

namespace jirasync {

InFlightSlots::InFlightSlots(int slots) : free_(std::max(1, slots)) {}

void InFlightSlots::acquire(Priority priority) {
  std::unique_lock lock(mutex_);
  if (priority == Priority::kListing) {
    ++listings_waiting_;
    freed_.wait(lock, [this] { return free_ > 0; });
    --listings_waiting_;
  } else {
    freed_.wait(lock, [this] { return free_ > 0 && listings_waiting_ == 0; });
  }
  --free_;
}

void InFlightSlots::release() {
  {
    std::lock_guard lock(mutex_);
    ++free_;
  }
  freed_.notify_all();
}

int InFlightSlots::listings_waiting() {
  std::lock_guard lock(mutex_);
  return listings_waiting_;
}

}  // namespace jirasync
