#include "common/service/consumer_lag_metrics.hpp"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include "common/bus/bus.hpp"
#include "common/bus/group_lag.hpp"

namespace jirasync {

namespace {
// One refresh of every partition, a few broker round trips.
constexpr std::chrono::milliseconds kExportInterval{10000};
// All round trips of one refresh together: bounds how long a stop waits.
constexpr std::chrono::milliseconds kReadTimeout{2000};
}  // namespace

struct ConsumerLagMetrics::State {
  KafkaSettings settings;
  std::string group;
  std::string topic;
  std::chrono::milliseconds interval;
  prometheus::Family<prometheus::Gauge>& lag;
  std::unique_ptr<GroupLagReader> reader;  // made on the thread: creating it may block
};

ConsumerLagMetrics::ConsumerLagMetrics(const KafkaSettings& settings, std::string group,
                                       std::string topic, prometheus::Registry& registry,
                                       std::chrono::milliseconds interval)
    : state_(new State{settings, std::move(group), std::move(topic), interval,
                       prometheus::BuildGauge()
                           .Name("jirasync_consumer_lag")
                           .Help("Records of the topic the group has not committed yet, per "
                                 "partition (high watermark less committed offset)")
                           .Register(registry),
                       nullptr}),
      thread_([this] { loop(); }) {}

ConsumerLagMetrics::~ConsumerLagMetrics() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ConsumerLagMetrics::loop() {
  State& s = *state_;
  std::unique_lock lk(mu_);
  while (!stop_) {
    lk.unlock();
    try {
      if (!s.reader) s.reader = std::make_unique<GroupLagReader>(s.settings, s.group);
      for (const PartitionLag& p : s.reader->read({s.topic}, kReadTimeout).partitions) {
        if (p.lag < 0) continue;
        s.lag
            .Add({{"group", s.group},
                  {"topic", p.topic},
                  {"partition", std::to_string(p.partition)}})
            .Set(static_cast<double>(p.lag));
      }
    } catch (const std::exception& e) {
      spdlog::debug("consumer lag of {} unavailable: {}", s.group, e.what());
    }
    lk.lock();
    wake_.wait_for(lk, s.interval, [this] { return stop_; });
  }
  lk.unlock();
  s.reader.reset();
}

std::unique_ptr<ConsumerLagMetrics> consumer_lag_metrics_for(const Config& config,
                                                             const std::string& process_name,
                                                             prometheus::Registry& registry) {
  if (config.bus != BusKind::kKafka) return nullptr;
  for (const ConsumerRole& role : consumer_roles(config.kafka.topic_prefix)) {
    if (process_name == "jirasync-" + role.role) {
      return std::make_unique<ConsumerLagMetrics>(config.kafka, role.group, role.topic, registry,
                                                  kExportInterval);
    }
  }
  return nullptr;
}

}  // namespace jirasync
