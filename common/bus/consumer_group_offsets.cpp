#include "common/bus/consumer_group_offsets.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>

#include "common/bus/bus.hpp"

namespace jirasync {

namespace {

int ms(std::chrono::milliseconds timeout) {
  return static_cast<int>(timeout.count());
}

}  // namespace

ConsumerGroupOffsets::ConsumerGroupOffsets(const KafkaSettings& settings,
                                           std::chrono::milliseconds timeout)
    : settings_(settings),
      timeout_(timeout),
      client_(kafka_client(kafka_client_conf(settings, "jirasync-groups"), "")) {
  // Cluster metadata first: rd_kafka_list_groups() on a client without it
  // waits for a broker state change that may already have happened, and
  // then times out (seen with librdkafka 2.0.2).
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client_.get(), 0, nullptr, &raw, ms(timeout_));
  if (raw != nullptr) rd_kafka_metadata_destroy(raw);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw BusError("kafka: no answer from " + settings_.brokers + " within " +
                   std::to_string(timeout_.count()) + " ms: " + rd_kafka_err2str(err));
  }
}

std::vector<GroupMember> ConsumerGroupOffsets::members(const std::string& group) const {
  const rd_kafka_group_list* raw = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_list_groups(client_.get(), group.c_str(), &raw, ms(timeout_));
  std::unique_ptr<const rd_kafka_group_list, void (*)(const rd_kafka_group_list*)> list(
      raw, [](const rd_kafka_group_list* l) {
        if (l != nullptr) rd_kafka_group_list_destroy(l);
      });
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw BusError("kafka: cannot describe consumer group " + group + " on " + settings_.brokers +
                   ": " + rd_kafka_err2str(err));
  }
  std::vector<GroupMember> out;
  for (int i = 0; list && i < list->group_cnt; ++i) {
    const rd_kafka_group_info& g = list->groups[i];
    if (group != g.group) continue;
    if (g.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw BusError("kafka: consumer group " + group + ": " + rd_kafka_err2str(g.err));
    }
    for (int m = 0; m < g.member_cnt; ++m) {
      out.push_back({g.members[m].client_id ? g.members[m].client_id : "",
                     g.members[m].client_host ? g.members[m].client_host : ""});
    }
  }
  return out;
}

std::vector<PartitionOffsets> ConsumerGroupOffsets::partitions(const std::string& topic) const {
  // Every topic's metadata: asking for one topic by name would create it on
  // brokers with auto.create.topics.enable (the 0.9 test broker has it on).
  const rd_kafka_metadata_t* raw = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(client_.get(), 1, nullptr, &raw, ms(timeout_));
  std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> metadata(
      raw, [](const rd_kafka_metadata_t* m) {
        if (m != nullptr) rd_kafka_metadata_destroy(m);
      });
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw BusError("kafka: no answer from " + settings_.brokers + " within " +
                   std::to_string(timeout_.count()) + " ms: " + rd_kafka_err2str(err));
  }
  std::vector<PartitionOffsets> out;
  bool found = false;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic& mt = metadata->topics[t];
    if (topic != mt.topic) continue;
    found = true;
    if (mt.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw BusError("kafka: topic " + topic + ": " + rd_kafka_err2str(mt.err));
    }
    for (int p = 0; p < mt.partition_cnt; ++p) {
      PartitionOffsets po;
      po.partition = mt.partitions[p].id;
      const rd_kafka_resp_err_t werr = rd_kafka_query_watermark_offsets(
          client_.get(), topic.c_str(), po.partition, &po.low, &po.high, ms(timeout_));
      if (werr != RD_KAFKA_RESP_ERR_NO_ERROR) {
        throw BusError("kafka: offsets of " + topic + "[" + std::to_string(po.partition) +
                       "]: " + rd_kafka_err2str(werr));
      }
      out.push_back(po);
    }
  }
  if (!found) throw BusError("kafka: topic " + topic + " does not exist on " + settings_.brokers);
  std::sort(out.begin(), out.end(), [](const PartitionOffsets& a, const PartitionOffsets& b) {
    return a.partition < b.partition;
  });
  return out;
}

}  // namespace jirasync
