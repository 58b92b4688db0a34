#pragma once

#include <chrono>
#include <memory>

#include "common/config/config.hpp"

namespace RdKafka {
class Producer;
}

namespace jirasync {

// Whether the Kafka brokers answer, as librdkafka sees it: a metadata request
// on one long-lived client (so a check costs one round trip, not a new
// connection). Used by /readyz; the producers and consumers are not touched.
class KafkaReachability {
 public:
  // Throws BusError naming the setting when the settings are unusable.
  explicit KafkaReachability(const KafkaSettings& settings);
  ~KafkaReachability();
  KafkaReachability(const KafkaReachability&) = delete;
  KafkaReachability& operator=(const KafkaReachability&) = delete;

  // Returns when a broker answered within `timeout`; throws BusError saying
  // what librdkafka reported otherwise (e.g. all brokers down, timed out).
  void check(std::chrono::milliseconds timeout);

 private:
  std::string brokers_;
  std::unique_ptr<RdKafka::Producer> client_;
};

}  // namespace jirasync
