#include "services/fetcher/slice_pipeline.hpp"

#include <gtest/gtest.h>

#include <prometheus/registry.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "common/bus/in_process_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/envelope/raw_record.hpp"
#include "tests/fakes/fake_jira_client.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"
#include "tests/fakes/fake_run_store.hpp"

namespace jirasync {
namespace {

using fakes::FakeJiraClient;
using fakes::FakeRateBucketStore;
using fakes::FakeRunStore;

// RunSlices in memory: one listing per run, as SqlRunSlices keeps it.
class MemoryRunSlices final : public RunSlices {
 public:
  void open(const std::string&, const std::string&, int64_t) override {}
  void close(const std::string&, const std::string&, int64_t, int64_t) override {}
  bool wanted(const std::string& run_id, int, const std::string& listing, int64_t seq) override {
    std::lock_guard lock(mutex_);
    return listing == current && !done.count(run_id + "/" + std::to_string(seq));
  }
  bool complete(const std::string& run_id, const std::string&, int64_t seq,
                const SliceOutcome& outcome, int64_t) override {
    std::lock_guard lock(mutex_);
    if (!done.insert(run_id + "/" + std::to_string(seq)).second) return false;
    emitted += outcome.emitted;
    return true;
  }
  void touch(const std::string&, int64_t) override { ++touches; }
  size_t done_count() {
    std::lock_guard lock(mutex_);
    return done.size();
  }

  std::string current = "L1";
  std::atomic<int> touches{0};
  std::set<std::string> done;
  int64_t emitted = 0;

 private:
  std::mutex mutex_;
};

// The in-process bus, whose producers' flushes find the broker away (records
// still queued) or report a record it refused, as many times as told.
class FlakyBrokerBus final : public Bus {
 public:
  explicit FlakyBrokerBus(Bus& inner) : inner_(inner) {}
  std::unique_ptr<BusProducer> producer() override {
    return std::make_unique<Producer>(*this, inner_.producer());
  }
  std::unique_ptr<BusConsumer> consumer(const std::string& group_id) override {
    return inner_.consumer(group_id);
  }

  std::atomic<int> away_flushes{0};
  std::atomic<int> refused_flushes{0};
  // The first issue record is refused; the report reaches the next flush of
  // another thread, while the thread that produced it waits in its flush.
  std::atomic<bool> lose_first_record{false};
  std::atomic<bool> lost_one{false};
  std::atomic<int64_t> refused{0};

 private:
  // Kept by the bus: the slice workers share one producer, as the pipeline's.
  std::mutex loss_mutex_;
  std::condition_variable loss_taken_;
  bool loss_pending_ = false;
  std::thread::id lost_by_;

  class Producer final : public BusProducer {
   public:
    Producer(FlakyBrokerBus& bus, std::unique_ptr<BusProducer> inner)
        : bus_(bus), inner_(std::move(inner)) {}
    void produce(const std::string& topic, const std::string& key,
                 const std::string& value) override {
      if (topic == "t.issues.raw" && bus_.lose_first_record.exchange(false)) {
        std::lock_guard lock(bus_.loss_mutex_);
        bus_.loss_pending_ = true;
        bus_.lost_by_ = std::this_thread::get_id();
        ++bus_.refused;
        bus_.lost_one = true;
        return;
      }
      inner_->produce(topic, key, value);
    }
    void flush(std::chrono::milliseconds timeout) override {
      {
        std::unique_lock lock(bus_.loss_mutex_);
        if (bus_.loss_pending_ && bus_.lost_by_ == std::this_thread::get_id()) {
          bus_.loss_taken_.wait_for(lock, std::chrono::seconds(5),
                                    [this] { return !bus_.loss_pending_; });
        } else if (bus_.loss_pending_) {
          bus_.loss_pending_ = false;
          bus_.loss_taken_.notify_all();
          throw BusError("1 record(s) not delivered");
        }
      }
      if (bus_.away_flushes.fetch_sub(1) > 0) throw BusUnacknowledged("broker away");
      if (bus_.refused_flushes.fetch_sub(1) > 0) {
        ++bus_.refused;
        throw BusError("1 record(s) not delivered");
      }
      inner_->flush(timeout);
    }
    int64_t refused_records() const override { return bus_.refused; }

   private:
    FlakyBrokerBus& bus_;
    std::unique_ptr<BusProducer> inner_;
  };

  Bus& inner_;
};

std::string issue_json(const std::string& id) {
  return R"({"id":")" + id + R"(","key":"P-)" + id +
         R"(","fields":{"updated":"2025-01-02T10:30:00.000+0000"}})";
}

class SlicePipelineTest : public ::testing::Test {
 protected:
  SlicePipelineTest() : limit(buckets, clock, "jira", 0, 1), slots(4), probe(registry) {
    settings.topic_prefix = "t.";
    settings.jira.concurrency = 4;
    settings.jira.max_attempts = 2;
    settings.jira.backoff_base_ms = 10;
    SyncRun run;
    run.id = "run-1";
    run.project = "P";
    run.kind = JobKind::kFull;
    runs.create_run(run);
    runs.mark_running("run-1", clock.now_ms(), 0);
    client.bulk_answer = [](const std::vector<std::string>& ids) {
      BulkFetchResult result;
      for (const auto& id : ids) result.issues.push_back(read_issue_text(issue_json(id)));
      return result;
    };
    producer = bus.producer();
  }

  void publish(int64_t seq, std::vector<std::string> ids, const std::string& listing = "L1") {
    FetchSlice slice{"run-1", "P", 1, listing, seq, std::move(ids), true};
    producer->produce("t.fetch.slices", slice_key(slice), encode(slice));
  }

  // Steps the pipeline until `done` or a deadline (the pipeline's threads work meanwhile).
  bool step_until(SlicePipeline& pipeline, const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      pipeline.step(stop, std::chrono::milliseconds(20));
    }
    return done();
  }

  // Snapshots on issues.raw, read by a consumer of its own.
  std::set<std::string> raw_issue_ids() {
    auto consumer = bus.consumer("reader");
    consumer->subscribe({"t.issues.raw"});
    std::set<std::string> ids;
    while (auto msg = consumer->poll(std::chrono::milliseconds(50))) {
      auto record = decode_raw_record(msg->value);
      if (auto* s = std::get_if<IssueSnapshot>(&record)) ids.insert(s->issue_id);
    }
    return ids;
  }

  FakeClock clock{1'735'800'000'000};
  InProcessBus bus;
  std::unique_ptr<BusProducer> producer;
  FakeRunStore runs;
  MemoryRunSlices slices;
  FakeRateBucketStore buckets;
  FakeJiraClient client;
  SharedRateLimit limit;
  InFlightSlots slots;
  prometheus::Registry registry;
  FetcherProbe probe;
  FetcherSettings settings;
  std::atomic<bool> stop{false};
};

TEST_F(SlicePipelineTest, FetchesEverySliceOnceAndRecordsIt) {
  SlicePipeline pipeline(settings, bus, client, runs, slices, limit, slots, clock, probe);
  publish(0, {"1", "2"});
  publish(1, {"3"});
  publish(2, {"4", "5"});
  publish(1, {"3"});  // delivered twice: counted once
  ASSERT_TRUE(step_until(pipeline, [&] { return slices.done.size() == 3; }));
  stop = true;
  pipeline.run(stop);  // drains what is in flight
  EXPECT_EQ(slices.emitted, 5);
  EXPECT_EQ(raw_issue_ids(), (std::set<std::string>{"1", "2", "3", "4", "5"}));
}

TEST_F(SlicePipelineTest, ASliceOfAnAbandonedListingCostsNoRequest) {
  SlicePipeline pipeline(settings, bus, client, runs, slices, limit, slots, clock, probe);
  publish(0, {"1"}, "L0");  // the listing of an owner that crashed
  publish(0, {"1"});
  ASSERT_TRUE(step_until(pipeline, [&] { return slices.done.size() == 1; }));
  stop = true;
  pipeline.run(stop);
  EXPECT_EQ(client.bulk_requests.size(), 1u);
}

TEST_F(SlicePipelineTest, ASliceThatFailsAfterItsRetriesFailsTheRunsAttempt) {
  client.bulk_answer = [](const std::vector<std::string>&) -> BulkFetchResult {
    throw JiraError("HTTP 400: bad request", 400, false);
  };
  SlicePipeline pipeline(settings, bus, client, runs, slices, limit, slots, clock, probe);
  publish(3, {"1"});
  ASSERT_TRUE(
      step_until(pipeline, [&] { return runs.get_run("run-1")->status != RunStatus::kRunning; }));
  const auto run = runs.get_run("run-1");
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_NE(run->error.find("slice 3: "), std::string::npos) << run->error;
  EXPECT_NE(run->error.find("HTTP 400"), std::string::npos) << run->error;
  EXPECT_TRUE(slices.done.empty());
}

// Kafka killed while a slice's issues wait for it, longer than a lease: the
// slice keeps its run's lease while it waits, and counts once the broker
// took its records.
TEST_F(SlicePipelineTest, ASliceWaitingForTheBrokerKeepsItsRunsLease) {
  FlakyBrokerBus flaky(bus);
  flaky.away_flushes = 3;
  SlicePipeline pipeline(settings, flaky, client, runs, slices, limit, slots, clock, probe);
  publish(0, {"1"});
  ASSERT_TRUE(step_until(pipeline, [&] { return slices.done.size() == 1; }));
  EXPECT_EQ(slices.touches.load(), 3);
  EXPECT_EQ(raw_issue_ids(), (std::set<std::string>{"1"}));
}

// A record the broker refused for good: the slice is not recorded, and comes
// again to be fetched again.
TEST_F(SlicePipelineTest, ASliceWhoseRecordTheBrokerRefusedIsFetchedAgain) {
  FlakyBrokerBus flaky(bus);
  flaky.refused_flushes = 1;
  SlicePipeline pipeline(settings, flaky, client, runs, slices, limit, slots, clock, probe);
  publish(0, {"1"});
  std::thread loop([&] { pipeline.run(stop); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (slices.done_count() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  stop = true;
  loop.join();
  EXPECT_EQ(slices.done.size(), 1u);
  EXPECT_EQ(client.bulk_requests.size(), 2u);  // fetched, refused, fetched again
}

// Two slices in flight on the one producer: the first one's record is refused,
// and the report fails the second one's flush while the first one's succeeds.
// Both come again; no issue is lost.
TEST_F(SlicePipelineTest, ASliceWhoseRecordWasRefusedInAnotherSlicesFlushIsFetchedAgain) {
  FlakyBrokerBus flaky(bus);
  flaky.lose_first_record = true;
  std::atomic<int> fetches{0};
  client.while_bulk_fetching = [&] {
    if (fetches++ == 0) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!flaky.lost_one && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  };
  SlicePipeline pipeline(settings, flaky, client, runs, slices, limit, slots, clock, probe);
  publish(0, {"1"});
  publish(1, {"2"});
  std::thread loop([&] { pipeline.run(stop); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (slices.done_count() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  stop = true;
  loop.join();
  EXPECT_TRUE(flaky.lost_one);
  EXPECT_EQ(slices.done.size(), 2u);
  EXPECT_EQ(raw_issue_ids(), (std::set<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace jirasync
