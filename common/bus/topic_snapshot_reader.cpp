#include "common/bus/topic_snapshot_reader.hpp"

#include <librdkafka/rdkafka.h>

#include <memory>

namespace jirasync {

namespace {

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};
using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

constexpr std::chrono::milliseconds kLinger{50};

}  // namespace

TopicSnapshotReader::TopicSnapshotReader(const KafkaSettings& settings, const std::string& topic,
                                         const std::vector<PartitionOffsets>& ranges,
                                         const std::string& group)
    : topic_(topic) {
  KafkaConf conf = kafka_client_conf(settings, "jirasync-replay");
  set_kafka_property(conf.get(), "enable.auto.commit", "false");
  set_kafka_property(conf.get(), "enable.auto.offset.store", "false");
  // The end of a partition that was compacted or trimmed is seen as such.
  set_kafka_property(conf.get(), "enable.partition.eof", "true");
  if (!settings.extra.count("fetch.min.bytes")) {
    set_kafka_property(conf.get(), "fetch.min.bytes", "262144");
  }
  if (!settings.extra.count("fetch.wait.max.ms")) {
    set_kafka_property(conf.get(), "fetch.wait.max.ms", "100");
  }
  consumer_ = kafka_client(std::move(conf), group);
  rd_kafka_poll_set_consumer(consumer_.get());

  PartitionListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(ranges.size())));
  for (const auto& r : ranges) {
    start_[r.partition] = r.low;
    next_[r.partition] = r.low;
    end_[r.partition] = r.high;
    if (r.high <= r.low) continue;  // empty: nothing to assign
    total_ += r.high - r.low;
    open_[r.partition] = true;
    rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), r.partition)->offset = r.low;
  }
  if (list->cnt == 0) return;
  if (const rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw BusError("kafka: cannot read " + topic + ": assign: " + rd_kafka_err2str(err));
  }
}

int64_t TopicSnapshotReader::position() const {
  int64_t read = 0;
  for (const auto& [partition, next] : next_) {
    read += std::min(next, end_.at(partition)) - start_.at(partition);
  }
  return read;
}

void TopicSnapshotReader::finish_partition(int32_t partition) {
  if (open_.erase(partition) == 0) return;
  next_[partition] = end_[partition];
  // Stop fetching what was produced after the reader started.
  PartitionListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), partition);
  rd_kafka_pause_partitions(consumer_.get(), list.get());
}

std::vector<BusMessage> TopicSnapshotReader::next(size_t max, std::chrono::milliseconds timeout) {
  using SteadyClock = std::chrono::steady_clock;
  std::vector<BusMessage> out;
  const auto deadline = SteadyClock::now() + timeout;
  // Once a record is in, wait a little for more rather than hand over a
  // handful: the caller writes one transaction per batch.
  auto until = deadline;
  while (!done() && out.size() < max) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
    MessagePtr m(rd_kafka_consumer_poll(consumer_.get(),
                                        static_cast<int>(std::max<int64_t>(0, left.count()))));
    if (!m) {
      if (SteadyClock::now() >= until) break;
      continue;
    }
    if (out.empty()) until = std::min(deadline, SteadyClock::now() + kLinger);
    const int32_t partition = m->partition;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      // At the end (it may be short of the recorded end when the topic was
      // compacted or trimmed meanwhile): nothing more to read there.
      if (m->rkt != nullptr && topic_ == rd_kafka_topic_name(m->rkt)) finish_partition(partition);
      continue;
    }
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string what = rd_kafka_message_errstr(m.get());
      if (m->err == RD_KAFKA_RESP_ERR__FATAL ||
          m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
          m->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
          m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC) {
        throw BusError("kafka: reading " + topic_ + ": " + what);
      }
      continue;  // transient (a broker restarting): librdkafka retries
    }
    if (!open_.count(partition)) continue;
    if (m->offset >= end_[partition]) {  // produced after the start
      finish_partition(partition);
      continue;
    }
    BusMessage msg;
    msg.topic = topic_;
    msg.partition = partition;
    msg.offset = m->offset;
    if (m->key != nullptr) msg.key.assign(static_cast<const char*>(m->key), m->key_len);
    if (m->payload != nullptr) msg.value.assign(static_cast<const char*>(m->payload), m->len);
    next_[partition] = m->offset + 1;
    out.push_back(std::move(msg));
    if (m->offset + 1 >= end_[partition]) finish_partition(partition);
  }
  return out;
}

}  // namespace jirasync
