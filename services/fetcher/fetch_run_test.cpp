#include "services/fetcher/fetch_run.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "common/envelope/raw_record.hpp"
#include "tests/fakes/fake_jira_client.hpp"
#include "tests/fakes/fake_rate_bucket_store.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/fakes/recording_producer.hpp"

namespace jirasync {
namespace {

using fakes::FakeJiraClient;
using fakes::FakeRateBucketStore;
using fakes::FakeRunStore;
using fakes::RecordingProducer;

std::string issue(int id, const std::string& updated = "2025-01-02T10:30:00.000+0000") {
  return R"({"id":")" + std::to_string(id) + R"(","key":"P-)" + std::to_string(id) +
         R"(","fields":{"updated":")" + updated + R"("}})";
}

SearchPage page(std::vector<std::string> issues, std::string next) {
  SearchPage p;
  for (auto& json : issues) p.issues.push_back(read_issue_text(std::move(json)));
  p.next_page_token = std::move(next);
  p.is_last = p.next_page_token.empty();
  return p;
}

class FetchRunTest : public ::testing::Test {
 protected:
  FetchRunTest()
      : limit(buckets, clock, "jira", 0, 1), ctx{jira,
                                                 3,
                                                 5000,
                                                 client,
                                                 limit,
                                                 producer,
                                                 "t.issues.raw",
                                                 runs,
                                                 clock,
                                                 stop,
                                                 [] {
              return 1.0; }} {
    jira.max_attempts = 3;
    jira.backoff_base_ms = 100;
    jira.backoff_max_ms = 1000;
    jira.overlap_ms = 60000;
  }

  SyncJob start(JobKind kind, int64_t since = 0, int attempt = 1) {
    SyncRun r;
    r.id = "run-1";
    r.project = "P";
    r.kind = kind;
    r.attempt = attempt;
    runs.create_run(r);
    SyncJob j;
    j.run_id = "run-1";
    j.project = "P";
    j.kind = kind;
    j.since_ms = since;
    j.attempt = attempt;
    return j;
  }

  FakeClock clock{1'735'800'000'000};
  FakeRunStore runs;
  FakeRateBucketStore buckets;
  FakeJiraClient client;
  RecordingProducer producer;
  JiraSettings jira;
  std::atomic<bool> stop{false};
  SharedRateLimit limit;
  FetchContext ctx;
};

TEST_F(FetchRunTest, IncrementalPagesToTheEndAndRecordsWhatItEmitted) {
  auto job = start(JobKind::kIncremental, 1'735'700'000'000);
  client.search_answers.push_back([](auto&) { return page({issue(1), issue(2)}, "tok-1"); });
  client.search_answers.push_back(
      [](auto&) { return page({issue(3, "2025-01-03T00:00:00.000-0800")}, ""); });
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  ASSERT_EQ(client.search_requests.size(), 2u);
  // Epoch milliseconds, started one overlap early; never a bare date-time.
  EXPECT_EQ(client.search_requests[0].jql,
            "project = \"P\" AND updated >= 1735699940000 ORDER BY updated ASC");
  EXPECT_EQ(client.search_requests[1].next_page_token, "tok-1");
  ASSERT_EQ(producer.records.size(), 3u);
  EXPECT_EQ(producer.records[0].key, "1");
  auto rec = std::get<IssueSnapshot>(decode_raw_record(producer.records[2].value));
  EXPECT_EQ(rec.issue_id, "3");
  EXPECT_EQ(rec.run_id, "run-1");
  EXPECT_EQ(rec.updated_ms, 1'735'891'200'000);  // -0800 read as an offset, not local time

  auto run = runs.get_run("run-1");
  EXPECT_TRUE(run->fetch_complete);
  EXPECT_EQ(run->emitted, 3);
  EXPECT_EQ(run->max_updated_ms, 1'735'891'200'000);
  EXPECT_EQ(run->stats.api_calls, 3);  // count + 2 pages
}

TEST_F(FetchRunTest, RetryAfterBlocksTheSharedBucketAndIsHonoured) {
  auto job = start(JobKind::kIncremental);
  client.search_answers.push_back(
      [](auto&) -> SearchPage { throw JiraError("HTTP 429", 429, true, 7000); });
  client.search_answers.push_back([](auto&) { return page({issue(1)}, ""); });
  const int64_t t0 = clock.now_ms();
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  EXPECT_GE(clock.now_ms() - t0, 7000);
  EXPECT_EQ(runs.get_run("run-1")->emitted, 1);
}

TEST_F(FetchRunTest, NonRetryableErrorFailsTheAttemptAndSchedulesARetry) {
  auto job = start(JobKind::kIncremental);
  client.search_answers.push_back(
      [](auto&) -> SearchPage { throw JiraError("HTTP 400: bad JQL", 400, false); });
  EXPECT_FALSE(FetchRun(job, ctx).execute());
  auto run = runs.get_run("run-1");
  EXPECT_EQ(run->status, RunStatus::kRetryWait);
  EXPECT_NE(run->error.find("bad JQL"), std::string::npos);
  ASSERT_TRUE(run->next_attempt_ms.has_value());
  EXPECT_EQ(*run->next_attempt_ms, clock.now_ms() + 5000);
}

TEST_F(FetchRunTest, RetryableErrorsUseUpAttemptsThenTheLastRunAttemptFails) {
  auto job = start(JobKind::kIncremental, 0, 3);
  for (int i = 0; i < 3; ++i)
    client.search_answers.push_back(
        [](auto&) -> SearchPage { throw JiraError("HTTP 503", 503, true); });
  EXPECT_FALSE(FetchRun(job, ctx).execute());
  auto run = runs.get_run("run-1");
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_NE(run->error.find("after 3 attempts"), std::string::npos);
  EXPECT_EQ(client.search_requests.size(), 3u);
}

TEST_F(FetchRunTest, FullSyncSweepsIdsInChunksAndEndsWithAMarker) {
  auto job = start(JobKind::kFull, 0);
  client.search_answers.push_back([](auto&) { return page({issue(1)}, ""); });
  client.search_answers.push_back([](auto& r) {
    EXPECT_EQ(r.fields, std::vector<std::string>{"id"});
    return page({R"({"id":"1"})", R"({"id":"2"})"}, "s1");
  });
  client.search_answers.push_back([](auto&) { return page({R"({"id":"3"})"}, ""); });
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  ASSERT_EQ(producer.records.size(), 4u);  // 1 snapshot, 2 chunks, 1 end
  auto c0 = std::get<SweepChunk>(decode_raw_record(producer.records[1].value));
  EXPECT_EQ(c0.issue_ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(producer.records[1].key, "sweep:P");
  auto end = std::get<SweepEnd>(decode_raw_record(producer.records[3].value));
  EXPECT_EQ(end.chunks, 2);
  EXPECT_EQ(end.total_ids, 3);
  EXPECT_EQ(runs.get_run("run-1")->emitted, 4);
}

TEST_F(FetchRunTest, SweepThatFailsMidwaySendsNoEndMarker) {
  auto job = start(JobKind::kFull, 0, 3);
  client.search_answers.push_back([](auto&) { return page({}, ""); });
  client.search_answers.push_back([](auto&) { return page({R"({"id":"1"})"}, "s1"); });
  client.search_answers.push_back(
      [](auto&) -> SearchPage { throw JiraError("HTTP 401", 401, false); });
  EXPECT_FALSE(FetchRun(job, ctx).execute());
  for (const auto& r : producer.records)
    EXPECT_FALSE(std::holds_alternative<SweepEnd>(decode_raw_record(r.value)));
}

TEST_F(FetchRunTest, RefreshUsesBulkFetchInChunksOfAHundredAndKeepsTheCursor) {
  auto job = start(JobKind::kRefresh);
  for (int i = 0; i < 250; ++i) job.keys.push_back("P-" + std::to_string(i));
  client.bulk_answer = [](const std::vector<std::string>& ids) {
    BulkFetchResult r;
    for (size_t i = 0; i < ids.size(); ++i)
      r.issues.push_back(read_issue_text(issue(static_cast<int>(i))));
    return r;
  };
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  ASSERT_EQ(client.bulk_requests.size(), 3u);
  EXPECT_EQ(client.bulk_requests[0].size(), 100u);
  EXPECT_EQ(client.bulk_requests[2].size(), 50u);
  EXPECT_EQ(runs.get_run("run-1")->max_updated_ms, 0);
}

TEST_F(FetchRunTest, RepeatedPageTokenFailsInsteadOfLooping) {
  auto job = start(JobKind::kIncremental, 0, 3);
  for (int i = 0; i < 3; ++i)
    client.search_answers.push_back([](auto&) { return page({issue(1)}, "same"); });
  EXPECT_FALSE(FetchRun(job, ctx).execute());
  EXPECT_NE(runs.get_run("run-1")->error.find("nextPageToken"), std::string::npos);
}

TEST_F(FetchRunTest, MalformedIssueStillTravelsForTheReconcilerToDeadLetter) {
  auto job = start(JobKind::kIncremental);
  client.search_answers.push_back([](auto&) {
    return page({issue(1), R"({"key":"P-2","fields":{"updated":42}})"}, "");
  });
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  ASSERT_EQ(producer.records.size(), 2u);
  EXPECT_EQ(producer.records[1].key, "invalid:run-1");
}

TEST_F(FetchRunTest, StopRequestInterruptsWithoutRecordingAFailure) {
  auto job = start(JobKind::kIncremental);
  stop = true;
  EXPECT_THROW(FetchRun(job, ctx).execute(), FetchInterrupted);
  EXPECT_EQ(runs.get_run("run-1")->status, RunStatus::kQueued);
}

}  // namespace
}  // namespace jirasync
