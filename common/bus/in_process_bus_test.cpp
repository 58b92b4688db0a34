#include "common/bus/in_process_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

namespace jirasync {
namespace {

using namespace std::chrono_literals;

// Polls until `want` records arrived or the deadline passes.
std::vector<BusMessage> drain(BusConsumer& c, std::size_t want,
                              std::chrono::milliseconds deadline = 5s) {
  std::vector<BusMessage> got;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (got.size() < want && std::chrono::steady_clock::now() < until) {
    if (auto m = c.poll(50ms)) got.push_back(*m);
  }
  return got;
}

std::set<int32_t> partitions_of(const std::vector<TopicPartition>& tps) {
  std::set<int32_t> out;
  for (const auto& tp : tps) out.insert(tp.partition);
  return out;
}

TEST(InProcessBus, SameKeySamePartitionAndPerKeyOrder) {
  InProcessBus bus(4);
  auto p = bus.producer();
  for (int i = 0; i < 200; ++i) {
    p->produce("t", "key-" + std::to_string(i % 10), std::to_string(i));
  }
  p->flush(1s);
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  auto got = drain(*c, 200);
  ASSERT_EQ(got.size(), 200u);

  std::map<std::string, int> last;
  std::map<std::string, int32_t> partition_of_key;
  std::set<int32_t> used;
  for (const auto& m : got) {
    EXPECT_EQ(m.topic, "t");
    EXPECT_EQ(m.partition, bus.partition_for(m.key));
    auto [it, fresh] = partition_of_key.emplace(m.key, m.partition);
    EXPECT_EQ(it->second, m.partition) << "key " << m.key << " moved partition";
    int v = std::stoi(m.value);
    if (!fresh) {
      EXPECT_GT(v, last[m.key]) << "key " << m.key << " out of order";
    }
    last[m.key] = v;
    used.insert(m.partition);
  }
  EXPECT_GT(used.size(), 1u) << "ten keys should spread over partitions";
}

TEST(InProcessBus, OffsetsAreConsecutivePerPartition) {
  InProcessBus bus(2);
  auto p = bus.producer();
  for (int i = 0; i < 5; ++i) p->produce("t", "k", "v" + std::to_string(i));
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  auto got = drain(*c, 5);
  ASSERT_EQ(got.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].offset, i);
    EXPECT_EQ(got[i].value, "v" + std::to_string(i));
  }
}

TEST(InProcessBus, PollReturnsNothingWhenIdle) {
  InProcessBus bus;
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  EXPECT_FALSE(c->poll(0ms).has_value());
  EXPECT_FALSE(c->poll(20ms).has_value());
}

TEST(InProcessBus, BlockedPollWakesWhenARecordArrives) {
  InProcessBus bus;
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  EXPECT_FALSE(c->poll(0ms).has_value());  // applies the assignment
  std::optional<BusMessage> got;
  auto started = std::chrono::steady_clock::now();
  std::thread reader([&] { got = c->poll(30s); });
  bus.producer()->produce("t", "k", "hello");
  reader.join();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "hello");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "poll did not wake up";
}

// The embedded pipeline stops its roles at once (issue 13: `sync --wait`
// returned late): a blocked poll ends, and later polls do not block.
TEST(InProcessBus, WakingConsumersEndsBlockedPollsAtOnce) {
  InProcessBus bus;
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  EXPECT_FALSE(c->poll(0ms).has_value());  // applies the assignment
  std::atomic<bool> polling{false};
  auto started = std::chrono::steady_clock::now();
  std::thread reader([&] {
    polling = true;
    EXPECT_FALSE(c->poll(30s).has_value());
  });
  while (!polling) std::this_thread::yield();
  bus.wake_consumers();
  reader.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "poll was not woken";
  started = std::chrono::steady_clock::now();
  EXPECT_FALSE(c->poll(30s).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "a later poll blocked";
  // What is there is still delivered.
  bus.producer()->produce("t", "k", "late");
  auto got = c->poll(30s);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, "late");
}

TEST(InProcessBus, GroupResumesFromCommittedOffset) {
  InProcessBus bus(1);
  auto p = bus.producer();
  for (int i = 0; i < 6; ++i) p->produce("t", "k", std::to_string(i));
  {
    auto c = bus.consumer("g");
    c->subscribe({"t"});
    auto got = drain(*c, 4);
    ASSERT_EQ(got.size(), 4u);
    c->commit({{"t", 0, got[2].offset + 1}});  // processed 0..2 only
    c->close();
  }
  auto again = bus.consumer("g");
  again->subscribe({"t"});
  auto rest = drain(*again, 3);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].value, "3");
  EXPECT_EQ(rest[2].value, "5");
}

TEST(InProcessBus, PayloadsAreFreedOnceEveryReadingGroupCommittedPastThem) {
  InProcessBus bus(1);
  auto p = bus.producer();
  const std::string big(1000, 'x');
  for (int i = 0; i < 10; ++i) p->produce("t", "k", big);
  auto a = bus.consumer("a");
  auto b = bus.consumer("b");
  a->subscribe({"t"});
  b->subscribe({"t"});
  ASSERT_EQ(drain(*a, 10).size(), 10u);
  a->commit({{"t", 0, 10}});
  EXPECT_GE(bus.retained_bytes(), 10'000u);  // b has not read them yet
  auto got = drain(*b, 10);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got[9].value, big);
  b->commit({{"t", 0, 6}});
  EXPECT_LT(bus.retained_bytes(), 5'000u);
  EXPECT_GE(bus.retained_bytes(), 4'000u);
  b->commit({{"t", 0, 10}});
  EXPECT_EQ(bus.retained_bytes(), 0u);
}

TEST(InProcessBus, GroupsAreIndependent) {
  InProcessBus bus(1);
  bus.producer()->produce("t", "k", "v");
  auto a = bus.consumer("a");
  auto b = bus.consumer("b");
  a->subscribe({"t"});
  b->subscribe({"t"});
  EXPECT_EQ(drain(*a, 1).size(), 1u);
  EXPECT_EQ(drain(*b, 1).size(), 1u);
}

TEST(InProcessBus, AssignListenerOffsetsAreHonoured) {
  InProcessBus bus(1);
  auto p = bus.producer();
  for (int i = 0; i < 10; ++i) p->produce("t", "k", std::to_string(i));
  int calls = 0;
  auto c = bus.consumer("g");
  c->subscribe({"t"}, [&](std::vector<TopicPartition>& tps) {
    ++calls;
    ASSERT_EQ(tps.size(), 1u);
    EXPECT_EQ(tps[0].offset, TopicPartition::kOffsetStored);
    tps[0].offset = 7;  // e.g. from the database
  });
  auto got = drain(*c, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(got[0].offset, 7);
  EXPECT_EQ(got[0].value, "7");
}

TEST(InProcessBus, AssignListenerCanStartAtTheEnd) {
  InProcessBus bus(1);
  auto p = bus.producer();
  p->produce("t", "k", "old");
  auto c = bus.consumer("g");
  c->subscribe({"t"}, [](std::vector<TopicPartition>& tps) {
    for (auto& tp : tps) tp.offset = TopicPartition::kOffsetEnd;
  });
  EXPECT_FALSE(c->poll(0ms).has_value());
  p->produce("t", "k", "new");
  auto got = drain(*c, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].value, "new");
}

TEST(InProcessBus, MembersOfAGroupSharePartitions) {
  InProcessBus bus(4);
  std::atomic<int> assigned_calls{0};
  auto listener = [&](std::vector<TopicPartition>&) { ++assigned_calls; };
  auto c1 = bus.consumer("g");
  c1->subscribe({"t"}, listener);
  EXPECT_FALSE(c1->poll(0ms).has_value());
  EXPECT_EQ(c1->assignment().size(), 4u);  // alone, c1 owns every partition
  auto c2 = bus.consumer("g");
  c2->subscribe({"t"}, listener);  // joining reassigns

  auto p = bus.producer();
  for (int i = 0; i < 80; ++i) p->produce("t", "k" + std::to_string(i), std::to_string(i));
  std::vector<BusMessage> got1, got2;
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (got1.size() + got2.size() < 80 && std::chrono::steady_clock::now() < until) {
    if (auto m = c1->poll(10ms)) got1.push_back(*m);
    if (auto m = c2->poll(10ms)) got2.push_back(*m);
  }
  auto a1 = partitions_of(c1->assignment());
  auto a2 = partitions_of(c2->assignment());
  EXPECT_EQ(a1.size(), 2u);
  EXPECT_EQ(a2.size(), 2u);
  for (int32_t part : a1) EXPECT_EQ(a2.count(part), 0u) << "partition " << part << " shared";
  EXPECT_EQ(assigned_calls.load(), 3);  // c1 twice (alone, then shared), c2 once
  EXPECT_FALSE(got1.empty());
  EXPECT_FALSE(got2.empty());

  std::set<std::string> seen;
  for (const auto& m : got1) {
    EXPECT_TRUE(a1.count(m.partition)) << "c1 read a partition it does not own";
    EXPECT_TRUE(seen.insert(m.value).second) << "duplicate " << m.value;
  }
  for (const auto& m : got2) {
    EXPECT_TRUE(a2.count(m.partition)) << "c2 read a partition it does not own";
    EXPECT_TRUE(seen.insert(m.value).second) << "duplicate " << m.value;
  }
  EXPECT_EQ(seen.size(), 80u);
}

TEST(InProcessBus, LeavingMemberHandsItsPartitionsBack) {
  InProcessBus bus(4);
  auto c1 = bus.consumer("g");
  auto c2 = bus.consumer("g");
  c1->subscribe({"t"});
  c2->subscribe({"t"});
  c1->poll(0ms);
  c2->poll(0ms);
  ASSERT_EQ(c1->assignment().size(), 2u);
  c2->close();
  c1->poll(0ms);
  EXPECT_EQ(partitions_of(c1->assignment()), (std::set<int32_t>{0, 1, 2, 3}));
}

TEST(InProcessBus, LagIsHighWatermarkMinusPosition) {
  InProcessBus bus(4);
  auto p = bus.producer();
  for (int i = 0; i < 10; ++i) p->produce("t", "one-key", std::to_string(i));
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  ASSERT_EQ(drain(*c, 3).size(), 3u);
  const int32_t hot = bus.partition_for("one-key");
  auto lag = c->lag();
  ASSERT_EQ(lag.size(), 4u);
  for (const auto& [tp, n] : lag) {
    EXPECT_EQ(n, tp.partition == hot ? 7 : 0) << "partition " << tp.partition;
  }
}

TEST(InProcessBus, CommitRejectsUnknownPartitionAndOffsetBeyondEnd) {
  InProcessBus bus(2);
  bus.producer()->produce("t", "k", "v");
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  EXPECT_THROW(c->commit({{"t", 9, 0}}), BusError);
  EXPECT_THROW(c->commit({{"nope", 0, 0}}), BusError);
  EXPECT_THROW(c->commit({{"t", bus.partition_for("k"), 2}}), BusError);
  EXPECT_NO_THROW(c->commit({{"t", bus.partition_for("k"), 1}}));
}

TEST(InProcessBus, ClosedConsumerRefusesToPoll) {
  InProcessBus bus;
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  c->close();
  EXPECT_THROW(c->poll(0ms), BusError);
}

TEST(InProcessBus, FailingAssignListenerIsRetriedOnNextPoll) {
  InProcessBus bus(1);
  bus.producer()->produce("t", "k", "v");
  int calls = 0;
  auto c = bus.consumer("g");
  c->subscribe({"t"}, [&](std::vector<TopicPartition>&) {
    if (++calls == 1) throw std::runtime_error("database down");
  });
  EXPECT_THROW(c->poll(0ms), std::runtime_error);
  auto got = drain(*c, 1);
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(calls, 2);
}

TEST(InProcessBus, ConcurrentProducersLoseNothing) {
  InProcessBus bus(4);
  auto c = bus.consumer("g");
  c->subscribe({"t"});
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&bus, w] {
      auto p = bus.producer();
      for (int i = 0; i < 250; ++i) p->produce("t", "w" + std::to_string(w), std::to_string(i));
    });
  }
  auto got = drain(*c, 1000, 10s);
  for (auto& t : writers) t.join();
  EXPECT_EQ(got.size(), 1000u);
}

TEST(InProcessBus, RejectsBadArguments) {
  EXPECT_THROW(InProcessBus(0), BusError);
  InProcessBus bus;
  EXPECT_THROW(bus.consumer(""), BusError);
  EXPECT_THROW(bus.producer()->produce("", "k", "v"), BusError);
}

}  // namespace
}  // namespace jirasync
