#include "services/fetcher/fetcher.hpp"

#include <gtest/gtest.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/envelope/raw_record.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_jira_client.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/support/metric_value.hpp"

namespace jirasync {
namespace {

class FetcherTest : public ::testing::Test {
 protected:
  FetcherTest() : topics(config.kafka.topic_prefix) {
    config.jira.rate_per_s = 0;
    client.search_answers.push_back([](const SearchRequest&) {
      SearchPage p;
      p.issues = {read_issue_text(
          R"({"id":"1","key":"P-1","fields":{"updated":"2025-01-02T10:30:00.000+0000"}})")};
      return p;
    });
  }
  void queue_job(const std::string& run_id, RunStatus status, int attempt = 1) {
    SyncRun r;
    r.id = run_id;
    r.project = "P";
    r.status = status;
    r.attempt = attempt;
    runs.create_run(r);
    SyncJob j;
    j.run_id = run_id;
    j.project = "P";
    j.attempt = attempt;
    bus.append(topics.jobs, "P", encode(j));
  }
  int64_t committed_jobs() {
    auto& c = bus.committed(consumer_group(config.kafka.topic_prefix, "fetcher"));
    int64_t total = 0;
    for (const auto& [tp, offset] : c) total += offset;
    return total;
  }

  Config config;
  Topics topics;
  FakeClock clock;
  fakes::FakeBus bus;
  fakes::FakeRunStore runs;
  fakes::FakeRateBucketStore buckets;
  fakes::FakeJiraClient client;
  prometheus::Registry registry;
  std::atomic<bool> stop{false};
};

TEST_F(FetcherTest, RunsAJobThenCommitsIt) {
  Fetcher f(config, bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(f.jobs_done(), 1);
  EXPECT_EQ(committed_jobs(), 1);
  EXPECT_EQ(bus.records(topics.raw).size(), 1u);
  EXPECT_TRUE(runs.get_run("r1")->fetch_complete);
  EXPECT_EQ(metric_value(registry, "jirasync_fetcher_emitted_total"), 1);
  EXPECT_EQ(metric_value(registry, "jirasync_fetcher_api_calls_total"), 2);  // count + page
}

TEST_F(FetcherTest, StaleJobOfAFinishedRunIsSkippedAndCommitted) {
  Fetcher f(config, bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kSuccess);
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(f.jobs_done(), 0);
  EXPECT_TRUE(client.search_requests.empty());
  EXPECT_EQ(committed_jobs(), 1);
}

TEST_F(FetcherTest, UndecodableJobGoesToTheDeadLetterTopicAndTheQueueMovesOn) {
  Fetcher f(config, bus, client, runs, buckets, clock, registry);
  bus.append(topics.jobs, "P", "{not json");
  ASSERT_TRUE(f.step(stop));
  const auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].value.find("undecodable sync job"), std::string::npos);
  EXPECT_EQ(committed_jobs(), 1);
}

}  // namespace
}  // namespace jirasync
