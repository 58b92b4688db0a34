#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/bus/kafka_client_conf.hpp"
#include "common/config/config.hpp"

namespace jirasync {

// One process consuming as a group, as the group coordinator lists it.
struct GroupMember {
  std::string client_id;
  std::string host;  // as the broker saw the connection, e.g. "/127.0.0.1"
};

// One partition of a topic: its offsets now, and a group's committed offset.
struct PartitionOffsets {
  int32_t partition = 0;
  int64_t low = 0;         // earliest offset still on the broker
  int64_t high = 0;        // next offset to be written
  int64_t committed = -1;  // the group's next offset; -1 when it has none

  // Records the group has not consumed yet (from `low` when it has no offset).
  int64_t lag() const { return high - (committed >= 0 ? std::max(committed, low) : low); }
};

// Who consumes as a group, and a topic's partitions with their offsets,
// through librdkafka (no Kafka admin scripts): ListGroups/DescribeGroups and
// ListOffsets, which the 0.9 test broker answers (api.version.request=false,
// broker.version.fallback=0.9.0.1) as modern brokers do. It never joins a
// group. A group's committed offsets: GroupLagReader (group_lag.hpp). Every
// call throws BusError saying what the brokers did not answer.
class ConsumerGroupOffsets {
 public:
  explicit ConsumerGroupOffsets(const KafkaSettings& settings,
                                std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // The processes consuming as `group` now; empty when none (or no such group).
  std::vector<GroupMember> members(const std::string& group) const;

  // Every partition of `topic` with its watermarks. Throws BusError when the
  // topic does not exist (it is not created by asking).
  std::vector<PartitionOffsets> partitions(const std::string& topic) const;

 private:
  KafkaSettings settings_;
  std::chrono::milliseconds timeout_;
  KafkaHandle client_;  // a producer handle: metadata and watermarks need no group
};

}  // namespace jirasync
