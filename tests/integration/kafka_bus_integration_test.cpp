// KafkaBus against the real broker started by scripts/services.sh.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "common/bus/kafka_bus.hpp"
#include "tests/integration/service_env.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;
using integration::test_kafka_settings;
using integration::unique_name;

constexpr int kRecords = 1000;
constexpr int kKeys = 37;

// Polls until `want` records arrived or the deadline passed.
std::vector<BusMessage> consume(BusConsumer& c, std::size_t want,
                                std::chrono::seconds deadline = 60s) {
  std::vector<BusMessage> got;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (got.size() < want && std::chrono::steady_clock::now() < until) {
    if (auto m = c.poll(200ms)) got.push_back(std::move(*m));
  }
  return got;
}

class KafkaBusIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = test_kafka_settings();  // throws (fails the test) without services
    topic_ = settings_.topic_prefix + unique_name("it.bus");
    bus_ = std::make_unique<KafkaBus>(settings_);
  }

  // Produces kRecords records over kKeys keys; value = "<key>/<sequence within key>".
  void produce_keyed_records() {
    auto producer = bus_->producer();
    std::map<std::string, int> seq;
    for (int i = 0; i < kRecords; ++i) {
      std::string key = "issue-" + std::to_string(i % kKeys);
      producer->produce(topic_, key, key + "/" + std::to_string(seq[key]++));
    }
    producer->flush(60s);
  }

  KafkaSettings settings_;
  std::string topic_;
  std::unique_ptr<KafkaBus> bus_;
};

TEST_F(KafkaBusIntegration, KeyedRecordsKeepOrderAndGroupsResumeFromCommits) {
  produce_keyed_records();
  const std::string group = unique_name("it-group");

  int assignments = 0;
  auto first = bus_->consumer(group);
  first->subscribe({topic_}, [&](std::vector<TopicPartition>& tps) {
    ++assignments;
    for (const auto& tp : tps) EXPECT_EQ(tp.topic, topic_);
  });

  // Lag after exactly 100 records: everything else is still owed.
  auto head = consume(*first, 100);
  ASSERT_EQ(head.size(), 100u);
  int64_t owed = 0;
  for (const auto& [tp, lag] : first->lag()) {
    ASSERT_GE(lag, 0) << "unknown lag for partition " << tp.partition;
    owed += lag;
  }
  EXPECT_EQ(owed, kRecords - 100);

  auto tail = consume(*first, kRecords - 100);
  ASSERT_EQ(tail.size(), static_cast<std::size_t>(kRecords - 100));
  head.insert(head.end(), tail.begin(), tail.end());
  EXPECT_GE(assignments, 1);

  // Per key: one partition, sequence 0,1,2,... in order.
  std::map<std::string, int> next_seq;
  std::map<std::string, int32_t> partition_of_key;
  std::map<int32_t, int64_t> records_in_partition;
  for (const auto& m : head) {
    ASSERT_EQ(m.topic, topic_);
    auto slash = m.value.find('/');
    ASSERT_NE(slash, std::string::npos) << m.value;
    EXPECT_EQ(m.value.substr(0, slash), m.key);
    EXPECT_EQ(std::stoi(m.value.substr(slash + 1)), next_seq[m.key]++) << "key " << m.key;
    auto [it, fresh] = partition_of_key.emplace(m.key, m.partition);
    EXPECT_EQ(it->second, m.partition) << "key " << m.key << " changed partition";
    EXPECT_EQ(m.offset, records_in_partition[m.partition]++) << "gap or repeat";
  }
  EXPECT_EQ(next_seq.size(), static_cast<std::size_t>(kKeys));
  EXPECT_GT(records_in_partition.size(), 1u) << "keys should spread over partitions";
  for (const auto& [tp, lag] : first->lag()) EXPECT_EQ(lag, 0) << "partition " << tp.partition;

  // Commit only the first half of every partition, then leave.
  std::vector<TopicPartition> commits;
  int64_t expected_rest = 0;
  for (const auto& [partition, n] : records_in_partition) {
    commits.push_back({topic_, partition, n / 2});
    expected_rest += n - n / 2;
  }
  first->commit(commits);
  first->close();

  // A new member of the same group resumes exactly at the committed offsets.
  auto second = bus_->consumer(group);
  second->subscribe({topic_});
  auto rest = consume(*second, static_cast<std::size_t>(expected_rest));
  ASSERT_EQ(rest.size(), static_cast<std::size_t>(expected_rest));
  std::map<int32_t, int64_t> first_offset;
  for (const auto& m : rest) first_offset.emplace(m.partition, m.offset);
  for (const auto& [partition, n] : records_in_partition) {
    EXPECT_EQ(first_offset[partition], n / 2) << "partition " << partition;
  }
  EXPECT_FALSE(second->poll(500ms).has_value()) << "more records than were left";
  second->close();
}

TEST_F(KafkaBusIntegration, AssignListenerOffsetsAreHonoured) {
  produce_keyed_records();
  // Start three records before the end of every partition, as the writer does
  // with offsets stored in its database.
  std::map<int32_t, int64_t> start;
  auto probe = bus_->consumer(unique_name("it-probe"));
  probe->subscribe({topic_});
  auto all = consume(*probe, kRecords);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kRecords));
  std::map<int32_t, int64_t> end;
  for (const auto& m : all) end[m.partition] = std::max(end[m.partition], m.offset + 1);
  probe->close();

  int calls = 0;
  auto c = bus_->consumer(unique_name("it-listener"));
  c->subscribe({topic_}, [&](std::vector<TopicPartition>& tps) {
    ++calls;
    for (auto& tp : tps) tp.offset = std::max<int64_t>(0, end[tp.partition] - 3);
  });
  std::size_t expected = 0;
  for (const auto& [p, e] : end) expected += static_cast<std::size_t>(std::min<int64_t>(3, e));
  auto got = consume(*c, expected);
  ASSERT_EQ(got.size(), expected);
  EXPECT_GE(calls, 1);
  for (const auto& m : got) {
    EXPECT_GE(m.offset, end[m.partition] - 3) << "partition " << m.partition;
  }
  EXPECT_FALSE(c->poll(500ms).has_value());
  c->close();
}

}  // namespace
}  // namespace jirasync
