#include "common/bus/kafka_client_conf.hpp"

#include <librdkafka/rdkafka.h>

#include "common/bus/bus.hpp"

namespace jirasync {

void KafkaConfDeleter::operator()(rd_kafka_conf_s* conf) const {
  rd_kafka_conf_destroy(conf);
}

void KafkaHandleDeleter::operator()(rd_kafka_s* handle) const {
  // Never subscribed: nothing to leave, so no consumer close round trip.
  rd_kafka_destroy_flags(handle, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
}

void set_kafka_property(rd_kafka_conf_s* conf, const std::string& name, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    // librdkafka's message may quote the value.
    throw BusError("kafka setting " + name + ": rejected by librdkafka (value not shown)");
  }
}

KafkaConf kafka_client_conf(const KafkaSettings& s, const std::string& client_id) {
  KafkaConf conf(rd_kafka_conf_new());
  set_kafka_property(conf.get(), "bootstrap.servers", s.brokers);
  set_kafka_property(conf.get(), "client.id", client_id);
  set_kafka_property(conf.get(), "api.version.request", s.api_version_request);
  if (!s.broker_version_fallback.empty()) {
    set_kafka_property(conf.get(), "broker.version.fallback", s.broker_version_fallback);
  }
  // Quiet: errors surface as return codes here; librdkafka's own lines are noise for a CLI.
  set_kafka_property(conf.get(), "log_level", "3");
  for (const auto& [name, value] : s.extra) set_kafka_property(conf.get(), name, value);
  return conf;
}

KafkaHandle kafka_client(KafkaConf conf, const std::string& group) {
  if (!group.empty()) set_kafka_property(conf.get(), "group.id", group);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(group.empty() ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf.get(),
                                err, sizeof err);
  if (rk == nullptr) throw BusError(std::string("cannot create a Kafka client: ") + err);
  conf.release();  // rd_kafka_new owns it now
  return KafkaHandle(rk);
}

}  // namespace jirasync
