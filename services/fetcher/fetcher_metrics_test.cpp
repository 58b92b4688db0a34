// The fetcher's metrics to alert on: requests by project, endpoint and
// outcome (429s among them) and the time spent waiting on the rate limit.
#include <gtest/gtest.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "services/fetcher/fetcher.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_jira_client.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/support/metric_series.hpp"

namespace jirasync {
namespace {

constexpr const char* kSearch = "POST /rest/api/3/search/jql";

class FetcherMetricsTest : public ::testing::Test {
 protected:
  FetcherMetricsTest() : topics(config.kafka.topic_prefix) {
    config.jira.rate_per_s = 0;
    config.jira.max_attempts = 3;
  }
  void queue_job(const std::string& run_id, const std::string& project) {
    SyncRun r;
    r.id = run_id;
    r.project = project;
    runs.create_run(r);
    SyncJob j;
    j.run_id = run_id;
    j.project = project;
    j.attempt = 1;
    bus.append(topics.jobs, project, encode(j));
  }
  static SearchPage one_issue(const SearchRequest&) {
    SearchPage p;
    p.issues = {read_issue_text(
        R"({"id":"1","key":"P-1","fields":{"updated":"2025-01-02T10:30:00.000+0000"}})")};
    return p;
  }
  std::optional<double> requests(const std::string& project, const char* outcome) {
    return series_value(registry, "jirasync_fetcher_jira_requests_total",
                        {{"project", project}, {"endpoint", kSearch}, {"outcome", outcome}});
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

TEST_F(FetcherMetricsTest, CountsRequestsByProjectEndpointAndOutcomeAnd429Waits) {
  client.search_answers.push_back(
      [](const SearchRequest&) -> SearchPage { throw JiraError("HTTP 429", 429, true, 3000); });
  client.search_answers.push_back(one_issue);
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", "WRKA");
  ASSERT_TRUE(f.step(stop));
  ASSERT_TRUE(runs.get_run("r1")->fetch_complete);
  EXPECT_EQ(requests("WRKA", "rate_limited"), 1);
  EXPECT_EQ(requests("WRKA", "ok"), 1);
  EXPECT_EQ(series_value(registry, "jirasync_fetcher_jira_requests_total",
                         {{"project", "WRKA"},
                          {"endpoint", "POST /rest/api/3/search/approximate-count"},
                          {"outcome", "ok"}}),
            1);
  // Jira's Retry-After of 3 s is time spent on the rate limit.
  EXPECT_GE(series_value(registry, "jirasync_fetcher_rate_limit_wait_seconds_total",
                         {{"project", "WRKA"}})
                .value_or(0),
            3.0);
}

TEST_F(FetcherMetricsTest, WaitsForTheSharedBucketAreCountedUnderTheJobsProject) {
  config.jira.rate_per_s = 1;  // one request a second once the burst is spent
  config.jira.rate_burst = 2;  // the bucket keeps one in hand: one token
  client.search_answers.push_back(one_issue);
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", "WRKB");
  ASSERT_TRUE(f.step(stop));
  // The count took the one token; the page waited a second for the next.
  EXPECT_EQ(series_value(registry, "jirasync_fetcher_rate_limit_wait_seconds_total",
                         {{"project", "WRKB"}}),
            1.0);
  EXPECT_FALSE(series_value(registry, "jirasync_fetcher_rate_limit_wait_seconds_total",
                            {{"project", "WRKA"}}));
}

TEST_F(FetcherMetricsTest, AFailedRequestIsCountedAsFailed) {
  config.jira.max_attempts = 1;
  config.max_run_attempts = 1;
  client.search_answers.push_back(
      [](const SearchRequest&) -> SearchPage { throw JiraError("HTTP 500", 500, true); });
  Fetcher f(FetcherSettings::from(config), bus, client, runs, buckets, clock, registry);
  queue_job("r1", "WRKC");
  ASSERT_TRUE(f.step(stop));
  EXPECT_EQ(requests("WRKC", "failed"), 1);
  EXPECT_FALSE(requests("WRKC", "ok"));
}

}  // namespace
}  // namespace jirasync
