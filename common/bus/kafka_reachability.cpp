#include "common/bus/kafka_reachability.hpp"

#include <librdkafka/rdkafkacpp.h>

#include "common/bus/bus.hpp"
#include "common/bus/kafka_log.hpp"

namespace jirasync {

namespace {

void set(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string err;
  // The value is never echoed: `extra` may hold sasl passwords.
  if (conf.set(name, value, err) != RdKafka::Conf::CONF_OK) {
    throw BusError("kafka setting " + name + " rejected by librdkafka");
  }
}

}  // namespace

KafkaReachability::KafkaReachability(const KafkaSettings& settings) : brokers_(settings.brokers) {
  // The same connection settings as KafkaBus's clients (security in `extra`).
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set(*conf, "bootstrap.servers", settings.brokers);
  set(*conf, "client.id", "jirasync-readiness");
  set(*conf, "api.version.request", settings.api_version_request);
  if (!settings.broker_version_fallback.empty()) {
    set(*conf, "broker.version.fallback", settings.broker_version_fallback);
  }
  for (const auto& [name, value] : settings.extra) set(*conf, name, value);
  route_kafka_logs(*conf);
  std::string err;
  client_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!client_) throw BusError("cannot create a Kafka client: " + err);
}

KafkaReachability::~KafkaReachability() = default;

void KafkaReachability::check(std::chrono::milliseconds timeout) {
  RdKafka::Metadata* raw = nullptr;
  // Known topics only (none): a round trip to a broker, not the whole cluster's topic list.
  const auto code = client_->metadata(false, nullptr, &raw, static_cast<int>(timeout.count()));
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  if (code != RdKafka::ERR_NO_ERROR) {
    throw BusError("no answer from " + brokers_ + " within " + std::to_string(timeout.count()) +
                   " ms: " + RdKafka::err2str(code));
  }
}

}  // namespace jirasync
