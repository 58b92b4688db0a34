#include "common/bus/kafka_log.hpp"

#include <librdkafka/rdkafkacpp.h>
#include <spdlog/spdlog.h>

#include "common/bus/bus.hpp"

namespace jirasync {
namespace {

// Stateless, so one instance serves every client for the life of the process
// (librdkafka calls it from its own threads, possibly after main returns).
class KafkaLog final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_ERROR:
        spdlog::warn("kafka: {} ({})", event.str(), RdKafka::err2str(event.err()));
        break;
      case RdKafka::Event::EVENT_LOG:
        if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR) {
          spdlog::error("kafka: {}: {}", event.fac(), event.str());
        } else if (event.severity() <= RdKafka::Event::EVENT_SEVERITY_WARNING) {
          spdlog::warn("kafka: {}: {}", event.fac(), event.str());
        } else {
          spdlog::debug("kafka: {}: {}", event.fac(), event.str());
        }
        break;
      default:
        break;
    }
  }
};

}  // namespace

void route_kafka_logs(RdKafka::Conf& conf) {
  static KafkaLog* const log = new KafkaLog();  // never destroyed: see KafkaLog
  std::string err;
  if (conf.set("event_cb", static_cast<RdKafka::EventCb*>(log), err) != RdKafka::Conf::CONF_OK) {
    throw BusError("kafka setting event_cb: " + err);
  }
}

}  // namespace jirasync
