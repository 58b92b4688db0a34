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
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
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
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kSuccess);
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(f.jobs_done(), 0);
  EXPECT_TRUE(client.search_requests.empty());
  EXPECT_EQ(committed_jobs(), 1);
}

TEST_F(FetcherTest, UndecodableJobGoesToTheDeadLetterTopicAndTheQueueMovesOn) {
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  bus.append(topics.jobs, "P", "{not json");
  ASSERT_TRUE(f.step(stop));
  const auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_NE(dead[0].value.find("undecodable sync job"), std::string::npos);
  EXPECT_EQ(committed_jobs(), 1);
}

// Issue 8.7: a wrong token was retried three times as a run failure.
TEST_F(FetcherTest, RejectedCredentialsFailTheRunAtOnceAndSaySo) {
  config.max_run_attempts = 3;
  client.search_answers.clear();
  client.search_answers.push_back([](const SearchRequest&) -> SearchPage {
    throw JiraError("Jira rejected the credentials for dev@example.com (HTTP 401)", 401, false);
  });
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  ASSERT_TRUE(f.step(stop));
  auto run = runs.get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_FALSE(run->next_attempt_ms);
  EXPECT_NE(run->error.find("Jira rejected the credentials for dev@example.com (HTTP 401)"),
            std::string::npos)
      << run->error;
  EXPECT_NE(run->error.find("not retried"), std::string::npos) << run->error;
  EXPECT_EQ(client.search_requests.size(), 1u);
}

TEST_F(FetcherTest, TransientFailureIsStillRetriedAsARun) {
  config.max_run_attempts = 3;
  config.jira.max_attempts = 1;
  client.search_answers.clear();
  client.search_answers.push_back(
      [](const SearchRequest&) -> SearchPage { throw JiraError("HTTP 503", 503, true); });
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  ASSERT_TRUE(f.step(stop));
  auto run = runs.get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_EQ(run->next_attempt_ms, clock.now_ms() + 5000);
}

// Issue 8.7: failed runs reported 0 API calls although Jira answered them.
TEST_F(FetcherTest, AFailedAttemptReportsTheApiCallsItMade) {
  config.jira.max_attempts = 2;
  config.jira.backoff_base_ms = 10;
  config.jira.backoff_max_ms = 10;
  client.search_answers.clear();
  for (int i = 0; i < 2; ++i)
    client.search_answers.push_back(
        [](const SearchRequest&) -> SearchPage { throw JiraError("HTTP 503", 503, true); });
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  ASSERT_TRUE(f.step(stop));
  auto run = runs.get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_EQ(run->stats.api_calls, 3);  // the count and two tries of the page
}

TEST_F(FetcherTest, ApiCallsAddUpOverTheAttemptsOfARun) {
  config.jira.max_attempts = 1;
  client.search_answers.clear();
  for (int i = 0; i < 2; ++i)
    client.search_answers.push_back(
        [](const SearchRequest&) -> SearchPage { throw JiraError("HTTP 503", 503, true); });
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(runs.get_run("r1")->stats.api_calls, 2);  // the count and the page
  runs.requeue("r1", clock.now_ms());
  queue_job("r1", RunStatus::kQueued, 2);
  ASSERT_TRUE(f.step(stop));
  auto run = runs.get_run("r1");
  EXPECT_EQ(run->attempt, 2);
  EXPECT_EQ(run->stats.api_calls, 4);
}

// Issue 8.7: a run that failed before its first page said "failed in 0.0 s".
TEST_F(FetcherTest, AnAttemptThatFailsOnTheCountIsTimedFromWhenTheFetcherTookIt) {
  config.max_run_attempts = 1;
  config.jira.max_attempts = 2;
  config.jira.backoff_base_ms = 1000;
  config.jira.backoff_max_ms = 1000;
  client.count_errors = {JiraError("HTTP 502", 502, true), JiraError("HTTP 502", 502, true)};
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kQueued);
  const int64_t taken = clock.now_ms();
  ASSERT_TRUE(f.step(stop));
  auto run = runs.get_run("r1");
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_EQ(run->started_ms, taken);
  EXPECT_EQ(run->stats.api_calls, 2);
}

TEST_F(FetcherTest, JobOfAnAttemptThatAlreadyFailedIsStale) {
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", RunStatus::kRetryWait);
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(f.jobs_done(), 0);
  EXPECT_TRUE(client.search_requests.empty());
  EXPECT_EQ(committed_jobs(), 1);
}

}  // namespace
}  // namespace jirasync
