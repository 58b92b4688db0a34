#include "common/bus/group_lag.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "common/bus/bus.hpp"
#include "common/bus/kafka_log.hpp"
#include "common/bus/topics.hpp"

namespace jirasync {
namespace {

void set(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string err;
  // The value is never echoed: `extra` may hold sasl passwords.
  if (conf.set(name, value, err) != RdKafka::Conf::CONF_OK) {
    throw BusError("kafka setting " + name + " rejected by librdkafka");
  }
}

struct Partitions {
  std::vector<RdKafka::TopicPartition*> items;
  ~Partitions() { RdKafka::TopicPartition::destroy(items); }
};

}  // namespace

int64_t partition_lag(int64_t committed, int64_t low_watermark, int64_t high_watermark) {
  if (high_watermark < 0) return -1;
  const int64_t from = committed >= 0 ? committed : low_watermark;
  if (from < 0) return -1;
  return std::max<int64_t>(0, high_watermark - from);
}

std::vector<ConsumerRole> consumer_roles(const std::string& topic_prefix) {
  const Topics topics(topic_prefix);
  return {{"fetcher", consumer_group(topic_prefix, "fetcher"), topics.jobs},
          {"reconciler", consumer_group(topic_prefix, "reconciler"), topics.raw},
          {"writer", consumer_group(topic_prefix, "writer"), topics.decided}};
}

GroupLagReader::GroupLagReader(const KafkaSettings& settings, std::string group)
    : group_(std::move(group)) {
  // The connection settings of KafkaBus's clients (security in `extra`).
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set(*conf, "bootstrap.servers", settings.brokers);
  set(*conf, "client.id", "jirasync-lag");
  set(*conf, "api.version.request", settings.api_version_request);
  if (!settings.broker_version_fallback.empty()) {
    set(*conf, "broker.version.fallback", settings.broker_version_fallback);
  }
  set(*conf, "group.id", group_);
  // Never subscribes, so never joins; and never commits what it reads.
  set(*conf, "enable.auto.commit", "false");
  set(*conf, "enable.auto.offset.store", "false");
  for (const auto& [name, value] : settings.extra) set(*conf, name, value);
  route_kafka_logs(*conf);
  std::string err;
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw BusError("kafka lag reader " + group_ + ": " + err);
}

GroupLagReader::~GroupLagReader() {
  if (consumer_) consumer_->close();
}

GroupLag GroupLagReader::read(const std::vector<std::string>& topics,
                              std::chrono::milliseconds timeout) {
  // One budget for every round trip, so a silent broker costs `timeout` once.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto left_ms = [&deadline] {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return static_cast<int>(std::max<int64_t>(1, left.count()));
  };
  const int timeout_ms = static_cast<int>(timeout.count());
  // Every topic's metadata: asking for one by name would create it on a
  // broker that auto-creates topics (0.9 always does for Metadata v0).
  RdKafka::Metadata* raw = nullptr;
  if (auto code = consumer_->metadata(true, nullptr, &raw, left_ms());
      code != RdKafka::ERR_NO_ERROR) {
    throw BusError("kafka lag " + group_ + ": no metadata from the brokers within " +
                   std::to_string(timeout_ms) + " ms: " + RdKafka::err2str(code));
  }
  std::unique_ptr<RdKafka::Metadata> metadata(raw);
  std::map<std::string, std::vector<int32_t>> known;
  for (const auto* t : *metadata->topics()) {
    auto& ids = known[t->topic()];
    for (const auto* p : *t->partitions()) ids.push_back(p->id());
    std::sort(ids.begin(), ids.end());
  }

  GroupLag out;
  out.group = group_;
  Partitions asked;
  for (const auto& topic : topics) {
    auto it = known.find(topic);
    if (it == known.end()) {
      out.missing_topics.push_back(topic);
      continue;
    }
    for (int32_t id : it->second) asked.items.push_back(RdKafka::TopicPartition::create(topic, id));
  }
  if (asked.items.empty()) return out;
  if (auto code = consumer_->committed(asked.items, left_ms()); code != RdKafka::ERR_NO_ERROR) {
    throw BusError("kafka lag " + group_ + ": committed offsets: " + RdKafka::err2str(code));
  }
  for (const auto* p : asked.items) {
    PartitionLag lag;
    lag.topic = p->topic();
    lag.partition = p->partition();
    lag.committed = p->err() == RdKafka::ERR_NO_ERROR && p->offset() >= 0 ? p->offset() : -1;
    int64_t low = -1, high = -1;
    if (std::chrono::steady_clock::now() >= deadline ||
        consumer_->query_watermark_offsets(p->topic(), p->partition(), &low, &high, left_ms()) !=
            RdKafka::ERR_NO_ERROR) {
      low = high = -1;
    }
    lag.high_watermark = high;
    lag.lag = partition_lag(lag.committed, low, high);
    out.partitions.push_back(std::move(lag));
  }
  return out;
}

}  // namespace jirasync
