#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/config/config.hpp"

namespace RdKafka {
class KafkaConsumer;
}

namespace jirasync {

// One partition of a group's lag, as Burrow or kafka-consumer-groups.sh show it.
struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  int64_t committed = -1;       // next offset the group reads; -1: the group committed none
  int64_t high_watermark = -1;  // -1: the broker did not say
  int64_t lag = -1;             // records not yet consumed; -1: unknown
};

struct GroupLag {
  std::string group;
  std::vector<PartitionLag> partitions;
  std::vector<std::string> missing_topics;  // asked for, but not on the brokers
};

// Records between a group's position and the high watermark. A group without
// a committed offset starts at the earliest retained record (the consumers'
// auto.offset.reset), so all of [low, high) is lag then. -1 when unknown.
int64_t partition_lag(int64_t committed, int64_t low_watermark, int64_t high_watermark);

// A role that consumes, its group and the topic it reads.
struct ConsumerRole {
  std::string role;  // "fetcher", "reconciler", "writer"
  std::string group;
  std::string topic;
};
// Every consuming role of one topic prefix, in pipeline order.
std::vector<ConsumerRole> consumer_roles(const std::string& topic_prefix);

// Reads one group's committed offsets (OffsetFetch) and the topics' watermarks
// through librdkafka without joining the group: no rebalance, nothing
// committed, so it works while the group's members run or are all stopped,
// on the 0.9 broker and on modern ones. Keep one per group to read it again.
class GroupLagReader {
 public:
  // Throws BusError naming the setting if the settings are unusable.
  GroupLagReader(const KafkaSettings& settings, std::string group);
  ~GroupLagReader();
  GroupLagReader(const GroupLagReader&) = delete;
  GroupLagReader& operator=(const GroupLagReader&) = delete;

  // Throws BusError when no broker answers within `timeout` (all round trips
  // together); partitions whose watermarks did not come in time show -1.
  GroupLag read(const std::vector<std::string>& topics, std::chrono::milliseconds timeout);

 private:
  std::string group_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace jirasync
