#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/config/config.hpp"

namespace jirasync {

// The bus over Apache Kafka through librdkafka's C++ API. Works with the 0.9
// test broker (api_version_request=false, broker_version_fallback=0.9.0.1) and
// with modern brokers; uses no record headers and no transactions.
//
// Producers partition by key (murmur2, as Java clients do), so a key always
// lands on the same partition. Consumers never auto-commit: offsets move only
// through commit(), and on every assignment the AssignListener may pick the
// start offsets (e.g. from the database).
class KafkaBus final : public Bus {
 public:
  // Throws BusError naming the setting if the settings are unusable. Secret
  // values (sasl passwords etc. in `extra`) never appear in errors or logs.
  explicit KafkaBus(KafkaSettings settings);

  std::unique_ptr<BusProducer> producer() override;
  std::unique_ptr<BusConsumer> consumer(const std::string& group_id) override;

  const KafkaSettings& settings() const { return settings_; }
  // Names of the topics the brokers know; throws BusError when none answers
  // within `timeout` (used by `jirasync check`).
  std::vector<std::string> topic_names(std::chrono::milliseconds timeout) const;

 private:
  KafkaSettings settings_;
};

// The value a consumer's librdkafka configuration gives `name` ("" when it
// has none): the defaults set here, then kafka.extra. Never logged: it may be
// a secret.
std::string kafka_consumer_property(const KafkaSettings& settings, const std::string& name);
// The same for a producer's configuration.
std::string kafka_producer_property(const KafkaSettings& settings, const std::string& name);

}  // namespace jirasync
