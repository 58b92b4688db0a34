// GroupLagReader against the real broker: committed offsets and watermarks of
// a group read from outside it, while its consumer runs and after it stopped.
#include <gtest/gtest.h>

#include <chrono>

#include "common/bus/group_lag.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/service/consumer_lag_metrics.hpp"
#include "tests/integration/service_env.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/metric_value.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;
using integration::test_kafka_settings;
using integration::unique_name;

int64_t total_lag(const GroupLag& lag) {
  int64_t sum = 0;
  for (const auto& p : lag.partitions) {
    EXPECT_GE(p.lag, 0) << p.topic << "[" << p.partition << "]";
    sum += p.lag;
  }
  return sum;
}

TEST(GroupLagIntegration, ReadsCommittedOffsetsAndWatermarksOfAStoppedGroup) {
  const KafkaSettings settings = test_kafka_settings();
  const std::string topic = settings.topic_prefix + unique_name("it.lag");
  const std::string group = unique_name("it-lag-group");
  KafkaBus bus(settings);
  {
    auto producer = bus.producer();
    for (int i = 0; i < 50; ++i) producer->produce(topic, "k" + std::to_string(i % 7), "v");
    producer->flush(60s);
  }

  GroupLagReader reader(settings, group);
  // Nothing committed yet: every record is owed.
  const GroupLag before = reader.read({topic}, 10s);
  EXPECT_TRUE(before.missing_topics.empty());
  ASSERT_FALSE(before.partitions.empty());
  for (const auto& p : before.partitions) EXPECT_EQ(p.committed, -1);
  EXPECT_EQ(total_lag(before), 50);

  // Consume 20 and commit them, then stop the consumer.
  {
    auto consumer = bus.consumer(group);
    consumer->subscribe({topic});
    std::vector<TopicPartition> next;
    int got = 0;
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (got < 20 && std::chrono::steady_clock::now() < until) {
      if (auto m = consumer->poll(200ms)) {
        ++got;
        bool found = false;
        for (auto& tp : next) {
          if (tp.partition == m->partition) tp.offset = m->offset + 1, found = true;
        }
        if (!found) next.push_back({m->topic, m->partition, m->offset + 1});
      }
    }
    ASSERT_EQ(got, 20);
    consumer->commit(next);
    consumer->close();
  }

  const GroupLag after = reader.read({topic, topic + ".absent"}, 10s);
  EXPECT_EQ(total_lag(after), 30);
  int64_t committed = 0;
  for (const auto& p : after.partitions) committed += std::max<int64_t>(0, p.committed);
  EXPECT_EQ(committed, 20);
  ASSERT_EQ(after.missing_topics.size(), 1u);
  EXPECT_EQ(after.missing_topics[0], topic + ".absent");
}

TEST(GroupLagIntegration, ConsumerLagMetricsExportsTheGroupsLagPerPartition) {
  const KafkaSettings settings = test_kafka_settings();
  const std::string topic = settings.topic_prefix + unique_name("it.lagmetric");
  KafkaBus bus(settings);
  {
    auto producer = bus.producer();
    for (int i = 0; i < 25; ++i) producer->produce(topic, "k" + std::to_string(i), "v");
    producer->flush(60s);
  }
  prometheus::Registry registry;
  ConsumerLagMetrics metrics(settings, unique_name("it-lagmetric"), topic, registry, 100ms);
  EXPECT_TRUE(testing::wait_until(
      [&] { return metric_value(registry, "jirasync_consumer_lag") == 25; }, 30s, 50ms))
      << metric_value(registry, "jirasync_consumer_lag");
}

}  // namespace
}  // namespace jirasync
