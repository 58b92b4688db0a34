#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/config/config.hpp"

namespace prometheus {
class Registry;
}

namespace jirasync {

// Exports one consumer group's lag on /metrics as
// jirasync_consumer_lag{group,topic,partition}: the high watermark less the
// offset the group committed (what `jirasync lag` prints and Burrow watches),
// read from the brokers on a thread of its own every `interval`, so a role
// whose loop is stuck still shows its lag growing.
class ConsumerLagMetrics {
 public:
  ConsumerLagMetrics(const KafkaSettings& settings, std::string group, std::string topic,
                     prometheus::Registry& registry, std::chrono::milliseconds interval);
  ~ConsumerLagMetrics();  // stops the thread promptly
  ConsumerLagMetrics(const ConsumerLagMetrics&) = delete;
  ConsumerLagMetrics& operator=(const ConsumerLagMetrics&) = delete;

 private:
  void loop();

  struct State;
  std::unique_ptr<State> state_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

// The exporter for the role process `process_name` ("jirasync-writer"), or
// nullptr when the role consumes nothing or the bus is not Kafka.
std::unique_ptr<ConsumerLagMetrics> consumer_lag_metrics_for(const Config& config,
                                                             const std::string& process_name,
                                                             prometheus::Registry& registry);

}  // namespace jirasync
