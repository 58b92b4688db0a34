#include "common/service/outage_backoff.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/log/secret_redactor.hpp"

namespace jirasync {

namespace {
constexpr int64_t kSliceMs = 100;
}

OutageBackoff::OutageBackoff(Clock& clock, const std::atomic<bool>& stop, int64_t first_wait_ms,
                             int64_t max_wait_ms)
    : clock_(clock), stop_(stop), first_wait_ms_(first_wait_ms), max_wait_ms_(max_wait_ms) {}

int64_t OutageBackoff::record_failure() {
  // Capped doubling: the shift is bounded however long the outage lasts.
  const int doublings = std::min(failures_, 20);
  ++failures_;
  return std::min(max_wait_ms_, first_wait_ms_ << doublings);
}

bool OutageBackoff::sleep(int64_t ms) {
  const int64_t until = clock_.now_ms() + ms;
  while (!stop_.load()) {
    const int64_t left = until - clock_.now_ms();
    if (left <= 0) return true;
    clock_.sleep_ms(std::min(left, kSliceMs));
  }
  return false;
}

void log_outage_retry(const std::string& what, const std::exception& error, int failures,
                      int64_t wait_ms) {
  spdlog::warn("{} failed (try {}), trying again in {} ms: {}", what, failures, wait_ms,
               redact(error.what()));
}

void log_outage_over(const std::string& what, int failures) {
  spdlog::info("{} works again after {} failed tries", what, failures);
}

}  // namespace jirasync
