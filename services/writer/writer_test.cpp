#include "services/writer/writer.hpp"

#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <atomic>
#include <future>

#include "common/bus/in_process_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/envelope/decision.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_decision_sink.hpp"
#include "tests/support/metric_value.hpp"

namespace jirasync {
namespace {

using fakes::FakeBus;
using fakes::FakeDecisionSink;

Decision decision(const std::string& id) {
  Decision d;
  d.run_id = "run-1";
  d.project = "WRKA";
  d.kind = DecisionKind::kSkip;
  d.issue_id = id;
  d.item_key = id;
  d.content_hash = "hash-" + id;
  return d;
}

class WriterTest : public ::testing::Test {
 protected:
  WriterTest() : topics(config.kafka.topic_prefix) {
    config.writer_batch_size = 3;
    config.writer_linger_ms = 50;
  }

  Writer& writer() {
    if (!writer_) writer_ = std::make_unique<Writer>(settings(), bus, store, clock, registry);
    return *writer_;
  }
  void publish(const std::string& id) {
    bus.append_to(topics.decided, 0, id, encode(decision(id)));
  }
  // Steps until `n` batches are applied or `max_steps` ran out (the fake bus never blocks).
  void step_until_applied(size_t n, int max_steps = 50) {
    for (int i = 0; i < max_steps && store.applied.size() < n; ++i) writer().step();
  }
  std::vector<std::string> applied_ids(size_t batch) {
    std::vector<std::string> ids;
    for (const auto& d : store.applied.at(batch).decisions) ids.push_back(d.issue_id);
    return ids;
  }
  int64_t kafka_committed() {
    auto& c = bus.committed(consumer_group(config.kafka.topic_prefix, Writer::kRole));
    auto it = c.find({topics.decided, 0});
    return it == c.end() ? -1 : it->second;
  }

  WriterSettings settings() const {
    WriterSettings s = WriterSettings::from(config);
    s.apply_in_background = apply_in_background;
    s.poll_timeout = poll_timeout;
    return s;
  }

  Config config;
  bool apply_in_background = false;  // each apply ends inside its step
  std::chrono::milliseconds poll_timeout = WriterSettings{}.poll_timeout;
  Topics topics;
  FakeBus bus;
  FakeDecisionSink store;
  FakeClock clock;
  prometheus::Registry registry;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, AppliesABatchWhenItIsFullWithItsOffsetsThenCommitsThemToKafka) {
  for (const char* id : {"1", "2", "3", "4", "5"}) publish(id);

  for (int i = 0; i < 3; ++i) writer().step();

  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(store.applied[0].group, "jirasync.writer");
  ASSERT_EQ(store.applied[0].offsets.size(), 1u);
  EXPECT_EQ(store.applied[0].offsets[0].topic, topics.decided);
  EXPECT_EQ(store.applied[0].offsets[0].next_offset, 3);
  EXPECT_EQ(store.applied[0].now_ms, clock.now_ms());
  EXPECT_EQ(kafka_committed(), 3);

  // Two more records do not fill a batch, and no time has passed.
  for (int i = 0; i < 5; ++i) writer().step();
  EXPECT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(writer().pending_records(), 2);
  EXPECT_EQ(metric_value(registry, "jirasync_writer_batches_total"), 1);
  EXPECT_EQ(metric_value(registry, "jirasync_writer_decisions_total"), 3);
}

TEST_F(WriterTest, AppliesAPartialBatchOnceItHasLingered) {
  config.writer_batch_size = 100;
  publish("1");
  publish("2");
  for (int i = 0; i < 5; ++i) writer().step();
  EXPECT_TRUE(store.applied.empty());

  clock.advance_ms(49);
  writer().step();
  EXPECT_TRUE(store.applied.empty()) << "applied before the linger was over";

  clock.advance_ms(1);
  writer().step();
  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(kafka_committed(), 2);
}

TEST_F(WriterTest, SeeksToTheOffsetsStoredInTheDatabaseOnAssignment) {
  store.offsets_by_group[consumer_group(config.kafka.topic_prefix, Writer::kRole)] = {
      StoredOffset{topics.decided, 0, 2}};
  bus.committed(consumer_group(config.kafka.topic_prefix, Writer::kRole))[{topics.decided, 0}] =
      1;  // behind the database
  for (const char* id : {"1", "2", "3", "4"}) publish(id);
  config.writer_batch_size = 2;

  step_until_applied(1);

  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(store.stored_offsets_calls, 1);
  EXPECT_EQ(kafka_committed(), 4);
}

TEST_F(WriterTest, DatabaseFailureRetriesTheSameBatchWithoutCommittingKafkaOffsets) {
  config.writer_batch_size = 2;
  publish("1");
  publish("2");
  store.fail_next_applies = 1;

  writer().step();
  EXPECT_FALSE(writer().step()) << "the failed apply reports no progress";
  EXPECT_EQ(store.apply_calls, 1);
  EXPECT_TRUE(store.applied.empty());
  EXPECT_EQ(bus.commit_calls(consumer_group(config.kafka.topic_prefix, Writer::kRole)), 0);
  EXPECT_EQ(metric_value(registry, "jirasync_writer_apply_failures_total"), 1);

  publish("3");
  EXPECT_FALSE(writer().step()) << "retried before the backoff was over";
  EXPECT_EQ(store.apply_calls, 1);

  clock.advance_ms(WriterSettings{}.retry_backoff_ms);
  EXPECT_TRUE(writer().step());
  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(kafka_committed(), 2);
  EXPECT_EQ(writer().pending_records(), 0) << "record 3 waits for the next batch";
}

TEST_F(WriterTest, UndecodableDecisionIsDeadLetteredAndItsOffsetStillStored) {
  publish("1");
  bus.append_to(topics.decided, 0, "2", R"({"schema":1,"kind":"explode"})");
  publish("3");

  step_until_applied(1);

  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(store.applied[0].offsets[0].next_offset, 3);
  auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key, topics.decided);
  rapidjson::Document doc;
  doc.Parse(dead[0].value.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(doc["offset"].GetInt64(), 1);
  EXPECT_EQ(std::string(doc["payload"].GetString()), R"({"schema":1,"kind":"explode"})");
  EXPECT_GT(std::string(doc["reason"].GetString()).size(), 0u);
  EXPECT_EQ(metric_value(registry, "jirasync_writer_dead_lettered_total"), 1);
}

TEST_F(WriterTest, ReassignmentDropsTheUnappliedBatchAndRereadsFromStoredOffsets) {
  config.writer_batch_size = 10;
  publish("1");
  publish("2");
  writer().step();
  writer().step();
  EXPECT_EQ(writer().pending_records(), 2);

  bus.rebalance();
  writer().step();
  EXPECT_EQ(writer().pending_records(), 1) << "record 1 was read again from offset 0";
  EXPECT_EQ(store.stored_offsets_calls, 2);

  writer().step();
  clock.advance_ms(50);
  step_until_applied(1);
  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "2"}));
}

TEST_F(WriterTest, ReportsConsumerLag) {
  config.writer_batch_size = 10;
  for (const char* id : {"1", "2", "3"}) publish(id);
  writer().step();
  EXPECT_EQ(metric_value(registry, "jirasync_writer_consumer_lag"), 2);
}

TEST_F(WriterTest, RunDrainsThePendingBatchWhenStopped) {
  config.writer_batch_size = 10;
  config.writer_linger_ms = 60'000;
  publish("1");
  std::atomic<bool> stop{false};
  int polls = 0;
  // The fake bus never blocks: stop after a few idle steps, well inside the linger.
  bus.on_poll = [&] {
    if (++polls == 5) stop = true;
  };
  writer().run(stop);
  ASSERT_EQ(store.applied.size(), 1u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1"}));
  EXPECT_EQ(kafka_committed(), 1);
}

TEST_F(WriterTest, ReadsTheNextBatchWhileTheDatabaseAppliesTheLastInOrder) {
  apply_in_background = true;
  config.writer_batch_size = 2;
  for (const char* id : {"1", "2", "3", "4", "5"}) publish(id);
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> applies{0};
  store.on_apply = [&] {
    if (applies++ == 0) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(10));  // a writer that blocks here fails below
    }
  };

  writer().step();
  writer().step();  // batch {1, 2} handed to the store, which holds it
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  for (int i = 0; i < 6; ++i) writer().step();
  EXPECT_EQ(writer().pending_records(), 4) << "{1, 2} applying, {3, 4} read and full; 5 waits";
  EXPECT_EQ(metric_value(registry, "jirasync_writer_batches_total"), 0);
  EXPECT_EQ(kafka_committed(), -1) << "nothing committed before the database did";

  release.set_value();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (metric_value(registry, "jirasync_writer_batches_total") < 2 &&
         std::chrono::steady_clock::now() < deadline) {
    writer().step();
  }
  ASSERT_EQ(store.applied.size(), 2u);
  EXPECT_EQ(applied_ids(0), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(applied_ids(1), (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(store.applied[1].offsets.at(0).next_offset, 4);
  EXPECT_EQ(kafka_committed(), 4);
}

TEST_F(WriterTest, ADueBatchWaitsForTheApplyInsteadOfPollingAgainAndAgain) {
  apply_in_background = true;
  poll_timeout = std::chrono::milliseconds(5);
  config.writer_batch_size = 10;
  config.writer_linger_ms = 50;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> applies{0};
  store.on_apply = [&] {
    if (applies++ == 0) {
      entered.set_value();
      released.wait_for(std::chrono::seconds(10));
    }
  };
  publish("1");
  writer().step();  // reads 1
  clock.advance_ms(60);
  writer().step();  // {1} lingered: handed to the store, which holds it
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  publish("2");
  writer().step();       // reads 2
  clock.advance_ms(60);  // {2} is due too, but the store is still busy with {1}
  int polls = 0;
  bus.on_poll = [&] { ++polls; };
  for (int i = 0; i < 20; ++i) writer().step();
  EXPECT_EQ(polls, 0) << "the writer spun on the consumer while the database applied";

  release.set_value();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.applied.size() < 2 && std::chrono::steady_clock::now() < deadline) writer().step();
  ASSERT_EQ(store.applied.size(), 2u);
  EXPECT_EQ(applied_ids(1), (std::vector<std::string>{"2"}));
}

TEST_F(WriterTest, BatchesApplyOnOneReusedThread) {
  apply_in_background = true;
  config.writer_batch_size = 1;
  std::vector<int> applies_seen_by_thread;
  store.on_apply = [&] {
    // A fresh thread starts with a fresh count.
    thread_local int applies_on_this_thread = 0;
    applies_seen_by_thread.push_back(++applies_on_this_thread);
  };
  for (const char* id : {"1", "2", "3"}) publish(id);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (store.applied.size() < 3 && std::chrono::steady_clock::now() < deadline) writer().step();
  ASSERT_EQ(store.applied.size(), 3u);
  EXPECT_EQ(applies_seen_by_thread, (std::vector<int>{1, 2, 3}))
      << "each batch was applied on a thread of its own";
}

TEST_F(WriterTest, RejectsAnUnusableBatchSize) {
  config.writer_batch_size = 0;
  try {
    writer();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "writer.batch_size");
  }
}

TEST_F(WriterTest, RejectsANegativeLinger) {
  config.writer_linger_ms = -1;
  try {
    writer();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "writer.linger_ms");
  }
}

TEST(WriterOverInProcessBus, StartsAtTheStoredOffsetAndAppliesTheRest) {
  Config config;
  config.writer_batch_size = 2;
  const Topics topics(config.kafka.topic_prefix);
  InProcessBus bus(1);
  FakeDecisionSink store;
  store.offsets_by_group[consumer_group(config.kafka.topic_prefix, Writer::kRole)] = {
      StoredOffset{topics.decided, 0, 1}};
  FakeClock clock;
  prometheus::Registry registry;
  auto producer = bus.producer();
  for (const char* id : {"1", "2", "3"})
    producer->produce(topics.decided, id, encode(decision(id)));
  producer->flush(std::chrono::seconds(1));

  Writer writer(WriterSettings::from(config), bus, store, clock,
                registry);  // applies in the background
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  // The metric moves on this thread once the apply committed, so the store
  // is safe to read after it.
  while (metric_value(registry, "jirasync_writer_batches_total") < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    writer.step();
  }

  ASSERT_EQ(store.applied.size(), 1u);
  std::vector<std::string> ids;
  for (const auto& d : store.applied[0].decisions) ids.push_back(d.issue_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(store.applied[0].offsets.at(0).next_offset, 3);
}

}  // namespace
}  // namespace jirasync
