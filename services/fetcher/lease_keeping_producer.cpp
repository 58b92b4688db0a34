#include "services/fetcher/lease_keeping_producer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "services/fetcher/fetch_run.hpp"

namespace jirasync {

namespace {
// One warning per this long while waiting, not one per round.
constexpr int64_t kWarnEveryMs = 10'000;
}  // namespace

LeaseKeepingProducer::LeaseKeepingProducer(BusProducer& inner, std::function<void()> keep_lease,
                                           Clock& clock, const std::atomic<bool>& stop)
    : inner_(inner), keep_lease_(std::move(keep_lease)), clock_(clock), stop_(stop) {}

void LeaseKeepingProducer::flush(std::chrono::milliseconds timeout) {
  const auto round = std::min(timeout, kRound);
  const int64_t started = clock_.now_ms();
  int64_t warned = started;
  for (;;) {
    try {
      inner_.flush(round);
      if (clock_.now_ms() - started >= kWarnEveryMs) {
        spdlog::info("the broker took the waiting records after {} s",
                     (clock_.now_ms() - started) / 1000);
      }
      return;
    } catch (const BusUnacknowledged& e) {
      if (stop_.load()) throw FetchInterrupted();
      keep_lease_();
      const int64_t now = clock_.now_ms();
      if (now - warned >= kWarnEveryMs) {
        warned = now;
        spdlog::warn("waiting {} s for the broker to take the fetched records (run kept): {}",
                     (now - started) / 1000, e.what());
      }
    }
  }
}

}  // namespace jirasync
