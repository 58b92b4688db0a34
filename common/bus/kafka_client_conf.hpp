#pragma once

#include <memory>
#include <string>

#include "common/config/config.hpp"

struct rd_kafka_conf_s;
struct rd_kafka_s;

namespace jirasync {

struct KafkaConfDeleter {
  void operator()(rd_kafka_conf_s* conf) const;
};
struct KafkaHandleDeleter {
  void operator()(rd_kafka_s* handle) const;
};
using KafkaConf = std::unique_ptr<rd_kafka_conf_s, KafkaConfDeleter>;
using KafkaHandle = std::unique_ptr<rd_kafka_s, KafkaHandleDeleter>;

// librdkafka (C API) settings for a short-lived client of the tools (replay,
// group offsets): the connection settings every Jirasync client uses
// (brokers, api.version.request and broker.version.fallback for the 0.9 test
// broker, `extra` last). Throws BusError naming the setting; a value is never
// shown (`extra` may hold sasl passwords).
KafkaConf kafka_client_conf(const KafkaSettings& settings, const std::string& client_id);
void set_kafka_property(rd_kafka_conf_s* conf, const std::string& name, const std::string& value);

// A consumer handle (`group` as its group.id; it joins nothing unless it
// subscribes) or a producer handle when `group` is empty. Takes the conf.
KafkaHandle kafka_client(KafkaConf conf, const std::string& group);

}  // namespace jirasync
