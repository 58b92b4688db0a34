#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/bus/consumer_group_offsets.hpp"
#include "common/bus/kafka_client_conf.hpp"

namespace jirasync {

// Reads a topic from the start of every partition up to the end the
// partition had when the reader was made (`ranges`, from
// ConsumerGroupOffsets::partitions): what was produced later is left to the
// roles. It assigns the partitions itself, so it is no group's member and
// commits nothing; reading it twice reads the same records.
class TopicSnapshotReader {
 public:
  // `group` is only the client's group.id (librdkafka wants one); it is never joined.
  TopicSnapshotReader(const KafkaSettings& settings, const std::string& topic,
                      const std::vector<PartitionOffsets>& ranges, const std::string& group);

  // Up to `max` records in partition order; fewer (or none) when `timeout`
  // passes first. Throws BusError on a fatal or authorisation error.
  std::vector<BusMessage> next(size_t max, std::chrono::milliseconds timeout);

  // Every partition has been read up to its end.
  bool done() const { return open_.empty(); }
  // Records between the start and the end of every partition (with compaction,
  // an upper bound of what there is to read).
  int64_t total() const { return total_; }
  // Positions read so far, counted like total().
  int64_t position() const;

 private:
  void finish_partition(int32_t partition);

  std::string topic_;
  KafkaHandle consumer_;
  std::map<int32_t, int64_t> end_;    // partition -> offset it ends at (exclusive)
  std::map<int32_t, int64_t> start_;  // partition -> offset it starts at
  std::map<int32_t, int64_t> next_;   // partition -> next offset to read
  std::map<int32_t, bool> open_;      // partitions not read to their end yet
  int64_t total_ = 0;
};

}  // namespace jirasync
