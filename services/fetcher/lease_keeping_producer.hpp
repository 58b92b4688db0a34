#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"

namespace jirasync {

// The producer a fetch writes issues.raw through. While the broker is away a
// flush runs out of time with the records still queued; failing the attempt
// then would only fetch everything again after the backoff, and its lease
// would lapse meanwhile. Instead this flushes again in short rounds, keeping
// the run's lease between them, until the broker took every record. A record
// that failed (lost) still fails the flush, and a stop request ends the wait
// with FetchInterrupted (the job is then delivered again).
class LeaseKeepingProducer final : public BusProducer {
 public:
  static constexpr std::chrono::milliseconds kRound{1000};

  LeaseKeepingProducer(BusProducer& inner, std::function<void()> keep_lease, Clock& clock,
                       const std::atomic<bool>& stop);

  void produce(const std::string& topic, const std::string& key,
               const std::string& value) override {
    inner_.produce(topic, key, value);
  }
  // Waits for the broker however long it is away; `timeout` bounds each
  // round only when shorter than kRound.
  void flush(std::chrono::milliseconds timeout) override;
  int64_t refused_records() const override { return inner_.refused_records(); }

 private:
  BusProducer& inner_;
  std::function<void()> keep_lease_;
  Clock& clock_;
  const std::atomic<bool>& stop_;
};

}  // namespace jirasync
