#include "services/fetcher/fetch_run.hpp"

#include "services/fetcher/request_workers.hpp"
#include "services/fetcher/sync_scope.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

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

// A project in a Jira that pages the way JRASERVER-69860 describes: the
// nextPageToken is an offset into the result set as it is when the next page
// is asked for, so an edit or a deletion between pages shifts issues. It
// understands the fetcher's JQL only: `updated >= <ms>`, `key > "P-n"` and
// ORDER BY updated or key. `between_pages` runs after every served page.
class OffsetPagingJira {
 public:
  std::map<int, int64_t> updated;  // issue number (id = key number) -> updated ms
  std::function<void(int pages_served)> between_pages;
  int pages_served = 0;

  SearchPage search(const SearchRequest& r) {
    const int64_t since = number_after(r.jql, "updated >= ");
    const int64_t after_key = number_after(r.jql, "key > \"P-");
    const bool by_key = r.jql.find("ORDER BY key") != std::string::npos;
    std::vector<int> ids;
    for (const auto& [id, at] : updated) {
      if (at >= since && id > after_key) ids.push_back(id);
    }
    if (!by_key) {
      std::stable_sort(ids.begin(), ids.end(),
                       [&](int a, int b) { return updated.at(a) < updated.at(b); });
    }
    const size_t offset = r.next_page_token.empty() ? 0 : std::stoul(r.next_page_token);
    const size_t end = std::min(ids.size(), offset + static_cast<size_t>(r.max_results));
    SearchPage page;
    for (size_t i = offset; i < end; ++i) page.issues.push_back(read_issue_text(json(ids[i])));
    page.is_last = end >= ids.size();
    if (!page.is_last) page.next_page_token = std::to_string(end);
    ++pages_served;
    if (between_pages) between_pages(pages_served);
    return page;
  }

  BulkFetchResult bulk_fetch(const std::vector<std::string>& ids) {
    BulkFetchResult result;
    for (const auto& id : ids) {
      if (updated.count(std::stoi(id)))
        result.issues.push_back(read_issue_text(json(std::stoi(id))));
    }
    return result;
  }

  // Jira's timestamp of an epoch-ms instant on 2025-01-02 (UTC).
  static std::string stamp(int64_t ms) {
    const int64_t day_ms = ms - kDayStartMs;
    char buf[64];
    std::snprintf(buf, sizeof buf, "2025-01-02T%02d:%02d:%02d.%03d+0000",
                  static_cast<int>(day_ms / 3'600'000), static_cast<int>(day_ms / 60'000 % 60),
                  static_cast<int>(day_ms / 1000 % 60), static_cast<int>(day_ms % 1000));
    return buf;
  }
  static constexpr int64_t kDayStartMs = 1'735'776'000'000;  // 2025-01-02T00:00:00Z

  std::string json(int id) const {
    return R"({"id":")" + std::to_string(id) + R"(","key":"P-)" + std::to_string(id) +
           R"(","fields":{"updated":")" + stamp(updated.at(id)) + R"("}})";
  }

 private:
  static int64_t number_after(const std::string& jql, const std::string& marker) {
    const size_t at = jql.find(marker);
    return at == std::string::npos ? 0 : std::stoll(jql.substr(at + marker.size()));
  }
};

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
            "project = \"P\" AND updated >= 1735699940000 ORDER BY updated ASC, key ASC");
  // The next page is a fresh query from the last `updated` read, not the token.
  EXPECT_EQ(client.search_requests[1].jql,
            "project = \"P\" AND updated >= 1735813800000 ORDER BY updated ASC, key ASC");
  EXPECT_EQ(client.search_requests[1].next_page_token, "");
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
  auto job = start(JobKind::kFull, 1'735'800'000'000);
  client.search_answers.push_back([](auto&) { return page({issue(1)}, ""); });
  client.search_answers.push_back([](auto& r) {
    EXPECT_EQ(r.fields, std::vector<std::string>{"key"});
    EXPECT_EQ(r.jql, "project = \"P\" ORDER BY key ASC");
    return page({R"({"id":"1","key":"P-1"})", R"({"id":"2","key":"P-2"})"}, "s1");
  });
  client.search_answers.push_back([](auto& r) {
    // Anchored on the last key read, not on the token.
    EXPECT_EQ(r.jql, "project = \"P\" AND key > \"P-2\" ORDER BY key ASC");
    EXPECT_EQ(r.next_page_token, "");
    return page({R"({"id":"3","key":"P-3"})"}, "");
  });
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
  auto job = start(JobKind::kFull, 1'735'800'000'000, 3);
  client.search_answers.push_back([](auto&) { return page({}, ""); });
  client.search_answers.push_back([](auto&) { return page({R"({"id":"1","key":"P-1"})"}, "s1"); });
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

// Every snapshot the run emitted, in order: (issue id, updated ms).
std::vector<std::pair<std::string, int64_t>> snapshots_of(const RecordingProducer& producer) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : producer.records) {
    auto record = decode_raw_record(r.value);
    if (auto* s = std::get_if<IssueSnapshot>(&record)) out.emplace_back(s->issue_id, s->updated_ms);
  }
  return out;
}

std::set<std::string> swept_ids(const RecordingProducer& producer) {
  std::set<std::string> out;
  for (const auto& r : producer.records) {
    auto record = decode_raw_record(r.value);
    if (auto* c = std::get_if<SweepChunk>(&record))
      out.insert(c->issue_ids.begin(), c->issue_ids.end());
  }
  return out;
}

class FakeCachedIssueIds final : public CachedIssueIds {
 public:
  std::vector<std::string> ids;
  std::vector<std::string> live_ids(const std::string&) override { return ids; }
};

class ShiftingPagesTest : public FetchRunTest {
 protected:
  ShiftingPagesTest() {
    clock.set_ms(at(1000));  // the fetcher's clock agrees with Jira's
    jira.page_size = 2;
    jira.sweep_page_size = 2;
    for (int i = 0; i < 100; ++i)
      client.search_answers.push_back([this](const SearchRequest& r) { return sim.search(r); });
    client.bulk_answer = [this](const std::vector<std::string>& ids) {
      return sim.bulk_fetch(ids);
    };
  }
  int64_t at(int second) const {
    return OffsetPagingJira::kDayStartMs + 36'000'000 + second * 1000;
  }

  OffsetPagingJira sim;
};

TEST_F(ShiftingPagesTest, AnEditBetweenPagesLosesNoOtherIssue) {
  for (int id = 1; id <= 7; ++id) sim.updated[id] = at(id);
  // Issue 1 (already read) is edited after the first page: it jumps to the
  // end and, with offset tokens, every later issue shifts one place back.
  sim.between_pages = [&](int served) {
    if (served == 1) sim.updated[1] = at(100);
  };
  auto job = start(JobKind::kIncremental, at(1) + 60000);
  client.count = 4;  // approximate: few enough for `updated`-ordered search pages
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  std::set<std::string> ids;
  for (const auto& [id, updated] : snapshots_of(producer)) ids.insert(id);
  EXPECT_EQ(ids, (std::set<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
  const auto snaps = snapshots_of(producer);
  EXPECT_EQ(snaps.back(), (std::pair<std::string, int64_t>{"1", at(100)}))
      << "the edit, at the end";
  EXPECT_EQ(runs.get_run("run-1")->max_updated_ms, at(100));
  // Fresh queries anchored on the last `updated` read, never a token.
  for (const auto& r : client.search_requests) EXPECT_EQ(r.next_page_token, "");
}

TEST_F(ShiftingPagesTest, AFullSyncWithNoCursorListsIdsThenFetchesThemByBulkfetch) {
  for (int id = 1; id <= 7; ++id) sim.updated[id] = at(id);
  auto job = start(JobKind::kFull, 0);
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  EXPECT_TRUE(client.count_requests.empty()) << "the listing counts a cold sync";
  for (const auto& r : client.search_requests)
    EXPECT_NE(r.jql.find("ORDER BY key ASC"), std::string::npos)
        << "only the id listing: " << r.jql;
  EXPECT_EQ(client.search_requests.size(), 4u);  // 7 ids, 2 a page
  ASSERT_EQ(client.bulk_requests.size(), 1u);
  EXPECT_EQ(client.bulk_requests[0], (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
  EXPECT_EQ(swept_ids(producer), (std::set<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
  auto run = runs.get_run("run-1");
  EXPECT_EQ(run->expected_total, 7);
  EXPECT_EQ(run->emitted, 7 + 4 + 1) << "7 snapshots, 4 sweep chunks, the end marker";
  EXPECT_EQ(run->max_updated_ms, at(7));
}

// What the owner of a sliced run told the run's slice accounting.
class RecordingRunSlices final : public RunSlices {
 public:
  std::vector<std::string> opened;
  int64_t closed_slices = -1;
  int64_t closed_cap_ms = 0;
  void open(const std::string&, const std::string& listing, int64_t) override {
    opened.push_back(listing);
  }
  void close(const std::string&, const std::string&, int64_t slices, int64_t cap_ms) override {
    closed_slices = slices;
    closed_cap_ms = cap_ms;
  }
  bool wanted(const std::string&, int, const std::string&, int64_t) override { return true; }
  bool complete(const std::string&, const std::string&, int64_t, const SliceOutcome&,
                int64_t) override {
    return true;
  }
  void touch(const std::string&, int64_t) override {}
};

TEST_F(ShiftingPagesTest, AColdSyncPublishesEachListedPageAsSlicesBeforeListingTheNext) {
  for (int id = 1; id <= 7; ++id) sim.updated[id] = at(id);
  RecordingRunSlices slices;
  ctx.run_slices = &slices;
  ctx.slice_topic = "t.fetch.slices";
  auto job = start(JobKind::kFull, 0);
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  EXPECT_TRUE(client.bulk_requests.empty()) << "the owner fetched chunks itself";
  ASSERT_EQ(slices.opened.size(), 1u);
  std::vector<FetchSlice> published;
  std::vector<std::string> order;  // "slice" / "sweep" as they went out
  for (const auto& r : producer.records) {
    if (r.topic == "t.fetch.slices") {
      published.push_back(decode_fetch_slice(r.value));
      EXPECT_EQ(r.key, "run-1/" + std::to_string(published.back().seq));
      order.push_back("slice");
    } else {
      order.push_back(std::holds_alternative<SweepChunk>(decode_raw_record(r.value)) ? "sweep"
                                                                                     : "other");
    }
  }
  // Each page of 2 ids is a slice, out before the next page is listed.
  EXPECT_EQ(order, (std::vector<std::string>{"slice", "sweep", "slice", "sweep", "slice", "sweep",
                                             "slice", "sweep", "other"}));
  ASSERT_EQ(published.size(), 4u);
  std::vector<std::string> ids;
  for (size_t i = 0; i < published.size(); ++i) {
    EXPECT_EQ(published[i].seq, static_cast<int64_t>(i));
    EXPECT_EQ(published[i].listing, slices.opened[0]);
    EXPECT_EQ(published[i].attempt, 1);
    ids.insert(ids.end(), published[i].ids.begin(), published[i].ids.end());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
  EXPECT_EQ(slices.closed_slices, 4);
  EXPECT_EQ(slices.closed_cap_ms, at(1000)) << "the cursor cap: when the last page was sent";
  EXPECT_EQ(runs.get_run("run-1")->emitted, 4 + 1) << "the owner's own: 4 sweep chunks, the end";

  // Any fetcher fetches a slice: its issues go to issues.raw, counted on the slice.
  producer.records.clear();
  int64_t emitted = 0;
  for (const FetchSlice& slice : published) {
    SyncJob part = job;
    FetchRun fetch(part, ctx);
    const SliceOutcome outcome = fetch.fetch_slice(slice);
    emitted += outcome.emitted;
    EXPECT_EQ(outcome.api_calls, 1);
  }
  EXPECT_EQ(emitted, 7);
  EXPECT_EQ(snapshots_of(producer).size(), 7u);
  ASSERT_EQ(client.bulk_requests.size(), 4u);
}

TEST_F(ShiftingPagesTest, ChangesWhileASplitSyncIsInFlightAreNotLost) {
  for (int id = 1; id <= 6; ++id) sim.updated[id] = at(id);
  auto job = start(JobKind::kFull, 0);
  // After the listing: issue 2 is edited (the bulkfetch brings the new
  // version) and issue 7 is created, too late to be listed.
  client.while_bulk_fetching = [&] {
    clock.set_ms(at(1100));
    sim.updated[2] = at(1101);
    sim.updated[7] = at(1100);
  };
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  const auto snaps = snapshots_of(producer);
  EXPECT_NE(std::find(snaps.begin(), snaps.end(), std::pair<std::string, int64_t>{"2", at(1101)}),
            snaps.end());
  const int64_t cursor = runs.get_run("run-1")->max_updated_ms;
  EXPECT_LE(cursor, at(1000)) << "the cursor passed issue 7, which no run has fetched yet";
  EXPECT_GE(cursor, at(6));
  // So the next incremental run, which starts at the cursor, finds issue 7.
  EXPECT_LE(cursor, sim.updated[7]);
}

TEST_F(ShiftingPagesTest, ListedIssuesThatJiraReportsInIssueErrorsAreAskedForAgain) {
  for (int id = 1; id <= 4; ++id) sim.updated[id] = at(id);
  int failures_left = 2;
  client.bulk_answer = [&](const std::vector<std::string>& ids) {
    BulkFetchResult r = sim.bulk_fetch(ids);
    if (failures_left > 0) {
      --failures_left;
      r.issues.erase(std::remove_if(r.issues.begin(), r.issues.end(),
                                    [](const IssueText& i) { return i.id == "3"; }),
                     r.issues.end());
      r.missing = {"3"};
    }
    return r;
  };
  auto job = start(JobKind::kFull, 0);
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  std::set<std::string> ids;
  for (const auto& s : snapshots_of(producer)) ids.insert(s.first);
  EXPECT_EQ(ids, (std::set<std::string>{"1", "2", "3", "4"}));

  // An issue Jira keeps failing fails the attempt instead of leaving a hole.
  producer.records.clear();
  failures_left = 100;
  SyncRun r2;
  r2.id = "run-2";
  r2.project = "Q";
  r2.kind = JobKind::kFull;
  r2.attempt = 1;
  runs.create_run(r2);
  SyncJob job2 = job;
  job2.run_id = "run-2";
  job2.project = "Q";
  EXPECT_FALSE(FetchRun(job2, ctx).execute());
  EXPECT_NE(runs.get_run("run-2")->error.find("issueErrors"), std::string::npos)
      << runs.get_run("run-2")->error;
}

TEST_F(ShiftingPagesTest, ManyChangesGoByListingAndChunksInFlightTogether) {
  constexpr int kIssues = 450;  // 5 bulkfetch chunks
  for (int id = 1; id <= kIssues; ++id) sim.updated[id] = at(1) + id;
  jira.sweep_page_size = 500;
  jira.concurrency = 4;
  RequestWorkers workers(4);
  ctx.workers = &workers;
  std::atomic<int> arrived{0};
  client.while_bulk_fetching = [&] {
    // Hold each request until four are in flight (or a deadline passes).
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load() < 4 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  auto job = start(JobKind::kIncremental, at(1) + 60000);
  client.count = kIssues;
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  EXPECT_EQ(client.bulk_in_flight_peak, 4);
  EXPECT_EQ(client.bulk_requests.size(), 5u);
  EXPECT_EQ(client.search_requests.size(), 1u) << "one listing page of ids";
  const auto snaps = snapshots_of(producer);
  ASSERT_EQ(snaps.size(), static_cast<size_t>(kIssues));
  for (int i = 0; i < kIssues; ++i)
    ASSERT_EQ(snaps[static_cast<size_t>(i)].first, std::to_string(i + 1)) << "emitted in order";
  auto run = runs.get_run("run-1");
  EXPECT_EQ(run->max_updated_ms, at(1) + kIssues);
  EXPECT_EQ(run->stats.api_calls, 1 + 1 + 5) << "count, listing, chunks";
}

TEST_F(ShiftingPagesTest, CommentPagesOfDifferentChunksAreInFlightTogether) {
  constexpr int kIssues = 450;  // 5 bulkfetch chunks
  for (int id = 1; id <= kIssues; ++id) sim.updated[id] = at(1) + id;
  jira.sweep_page_size = 500;
  jira.concurrency = 4;
  RequestWorkers workers(4);
  ctx.workers = &workers;
  const auto comment = [](int n) {
    return R"({"id":")" + std::to_string(n) +
           R"(","body":"c","created":"2025-01-02T00:00:00.000+0000"})";
  };
  // The first issue of each chunk shows 1 of its 3 comments.
  client.bulk_answer = [&](const std::vector<std::string>& ids) {
    BulkFetchResult r = sim.bulk_fetch(ids);
    IssueText& first = r.issues.front();
    const int id = std::stoi(first.id);
    first = read_issue_text(
        R"({"id":")" + first.id + R"(","key":"P-)" + first.id + R"(","fields":{"updated":")" +
        OffsetPagingJira::stamp(sim.updated[id]) + R"(","comment":{"comments":[)" + comment(1) +
        R"(],"maxResults":1,"total":3,"startAt":0}}})");
    return r;
  };
  client.comment_answer = [&](const std::string&, int64_t start, int) {
    CommentPage page;
    page.total = 3;
    for (int n = static_cast<int>(start) + 1; n <= 3; ++n) {
      page.comments.push_back(comment(n));
      page.ids.push_back(std::to_string(n));
    }
    return page;
  };
  std::atomic<int> arrived{0};
  client.while_paging_comments = [&] {
    // Hold each comment request until two are in flight (or a deadline passes).
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  auto job = start(JobKind::kIncremental, at(1) + 60000);
  client.count = kIssues;
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  EXPECT_GE(client.comment_in_flight_peak, 2) << "comment pages waited for one another";
  EXPECT_EQ(client.comment_requests.size(), 5u) << "one page per truncated issue";
  bool complete = false;
  for (const auto& r : producer.records) {
    auto record = decode_raw_record(r.value);
    auto* snap = std::get_if<IssueSnapshot>(&record);
    if (snap && snap->issue_id == "101") {
      complete = snap->issue_json.find(R"("total":3)") != std::string::npos &&
                 snap->issue_json.find(comment(3)) != std::string::npos;
    }
  }
  EXPECT_TRUE(complete) << "issue 101 travelled with all of its comments";
  EXPECT_EQ(runs.get_run("run-1")->stats.api_calls, 1 + 1 + 5 + 5)
      << "count, listing, chunks, comment pages";
}

TEST_F(ShiftingPagesTest, AChunkThatFailsFailsTheAttemptAfterTheOthersStop) {
  for (int id = 1; id <= 450; ++id) sim.updated[id] = at(1) + id;
  jira.sweep_page_size = 500;
  jira.concurrency = 4;
  RequestWorkers workers(4);
  ctx.workers = &workers;
  client.bulk_answer = [this](const std::vector<std::string>& ids) {
    if (ids.front() == "201") throw JiraError("HTTP 401", 401, false);
    return sim.bulk_fetch(ids);
  };
  auto job = start(JobKind::kFull, 0);
  EXPECT_FALSE(FetchRun(job, ctx).execute());
  auto run = runs.get_run("run-1");
  EXPECT_NE(run->error.find("401"), std::string::npos) << run->error;
  for (const auto& r : producer.records)
    EXPECT_FALSE(std::holds_alternative<SweepEnd>(decode_raw_record(r.value)));
}

TEST_F(ShiftingPagesTest, MoreIssuesAtOneInstantThanAPageHoldsComeOnceEach) {
  for (int id = 1; id <= 5; ++id) sim.updated[id] = at(1);
  sim.updated[6] = at(2);
  auto job = start(JobKind::kRefetch);
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  const auto snaps = snapshots_of(producer);
  ASSERT_EQ(snaps.size(), 6u);
  std::set<std::string> ids;
  for (const auto& s : snaps) ids.insert(s.first);
  EXPECT_EQ(ids.size(), 6u) << "no issue emitted twice";
  EXPECT_EQ(runs.get_run("run-1")->emitted, 6);
}

TEST_F(ShiftingPagesTest, ADeletionBetweenSweepPagesHidesNoOtherId) {
  for (int id = 1; id <= 6; ++id) sim.updated[id] = at(id);
  auto job = start(JobKind::kFull, at(10) + 60000);
  sim.between_pages = [&](int served) {
    // Page 1 is the (empty) incremental, page 2 the first sweep page.
    if (served == 2) sim.updated.erase(1);
  };
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  EXPECT_EQ(swept_ids(producer), (std::set<std::string>{"1", "2", "3", "4", "5", "6"}));
}

TEST_F(ShiftingPagesTest, FullSweepFetchesWhatJiraHasAndTheCacheLacks) {
  for (int id = 1; id <= 6; ++id) sim.updated[id] = at(id);
  FakeCachedIssueIds cache;
  cache.ids = {"1", "2", "4"};  // 3, 5, 6 were lost by an earlier run
  ctx.cached_ids = &cache;
  sim.updated[6] = at(20);  // the incremental part of the run brings 6
  auto job = start(JobKind::kFull, at(19) + 60000);
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  ASSERT_EQ(client.bulk_requests.size(), 1u);
  EXPECT_EQ(client.bulk_requests[0], (std::vector<std::string>{"3", "5"}));
  std::set<std::string> ids;
  for (const auto& s : snapshots_of(producer)) ids.insert(s.first);
  EXPECT_EQ(ids, (std::set<std::string>{"3", "5", "6"}));
  auto run = runs.get_run("run-1");
  // 3 snapshots, 3 sweep chunks of 2 ids, the end marker.
  EXPECT_EQ(run->emitted, 7);
  EXPECT_EQ(run->max_updated_ms, at(20)) << "reconciled issues do not move the cursor";
  // The end marker comes after the reconciled snapshots.
  EXPECT_TRUE(std::holds_alternative<SweepEnd>(decode_raw_record(producer.records.back().value)));
}

TEST_F(ShiftingPagesTest, AnIssueMovedToAnotherProjectIsNotSweptAwayAsADeletion) {
  for (int id = 1; id <= 4; ++id) sim.updated[id] = at(id);
  FakeCachedIssueIds cache;
  cache.ids = {"1", "2", "3", "4", "5", "6"};  // 5 moved to project Q, 6 was deleted
  ctx.cached_ids = &cache;
  client.bulk_answer = [this](const std::vector<std::string>& ids) {
    BulkFetchResult r = sim.bulk_fetch(ids);
    if (std::find(ids.begin(), ids.end(), "5") != ids.end()) {
      r.issues.push_back(read_issue_text(R"({"id":"5","key":"Q-1","fields":{"updated":")" +
                                         OffsetPagingJira::stamp(at(30)) + R"("}})"));
    }
    return r;
  };
  auto job = start(JobKind::kFull, at(19) + 60000);
  ASSERT_TRUE(FetchRun(job, ctx).execute());

  ASSERT_EQ(client.bulk_requests.size(), 1u) << "the ids the sweep would delete, verified once";
  EXPECT_EQ(client.bulk_requests[0], (std::vector<std::string>{"5", "6"}));
  EXPECT_EQ(snapshots_of(producer), (std::vector<std::pair<std::string, int64_t>>{{"5", at(30)}}))
      << "the moved issue travels so the reconciler moves it";
  // 5 still exists: the writer must not delete it; 6 is gone: it must.
  EXPECT_EQ(swept_ids(producer), (std::set<std::string>{"1", "2", "3", "4", "5"}));
  const RawRecord last = decode_raw_record(producer.records.back().value);
  ASSERT_TRUE(std::holds_alternative<SweepEnd>(last));
  int chunks = 0;
  for (const auto& r : producer.records) {
    if (std::holds_alternative<SweepChunk>(decode_raw_record(r.value))) {
      EXPECT_EQ(r.key, "sweep:P") << "ordered with the end marker";
      ++chunks;
    }
  }
  EXPECT_EQ(std::get<SweepEnd>(last).chunks, chunks) << "the end marker counts every chunk";
  EXPECT_EQ(runs.get_run("run-1")->max_updated_ms, 0) << "a verified issue moves no cursor";
}

TEST_F(ShiftingPagesTest, ASweepThatWouldDeleteNothingAsksJiraNothingMore) {
  for (int id = 1; id <= 4; ++id) sim.updated[id] = at(id);
  FakeCachedIssueIds cache;
  cache.ids = {"1", "2", "3", "4"};
  ctx.cached_ids = &cache;
  auto job = start(JobKind::kFull, at(19) + 60000);
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  EXPECT_TRUE(client.bulk_requests.empty());
  EXPECT_TRUE(snapshots_of(producer).empty());
}

TEST_F(FetchRunTest, AnIssueServedTwiceAtTheSameUpdatedIsEmittedOnce) {
  auto job = start(JobKind::kRefresh);
  job.keys = {"P-1", "1"};
  client.bulk_answer = [](const std::vector<std::string>&) {
    BulkFetchResult r;
    r.issues.push_back(read_issue_text(issue(1)));
    r.issues.push_back(read_issue_text(issue(1)));
    r.issues.push_back(read_issue_text(issue(1, "2025-01-02T10:31:00.000+0000")));
    return r;
  };
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  EXPECT_EQ(snapshots_of(producer).size(), 2u) << "the same version once, the newer one too";
  EXPECT_EQ(runs.get_run("run-1")->emitted, 2);
}

TEST_F(FetchRunTest, AnIdThatJiraNoLongerReturnsIsAVerifiedDeletion) {
  auto job = start(JobKind::kRefresh);
  // 7 is returned, 8 is gone, 9 is reported in issueErrors (a permission or a
  // retriable error: not proof), P-10 is a key (maybe an old one): not proof.
  job.keys = {"7", "8", "9", "P-10"};
  client.bulk_answer = [](const std::vector<std::string>&) {
    BulkFetchResult r;
    r.issues.push_back(read_issue_text(issue(7)));
    r.missing = {"9"};
    return r;
  };
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  std::vector<IssueGone> gone;
  for (const auto& rec : producer.records) {
    const RawRecord r = decode_raw_record(rec.value);
    if (const auto* g = std::get_if<IssueGone>(&r)) {
      gone.push_back(*g);
      EXPECT_EQ(rec.key, g->issue_id) << "keyed by id, in order with that issue's snapshots";
    }
  }
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0], (IssueGone{"run-1", job.project, "8"}));
  EXPECT_EQ(runs.get_run("run-1")->emitted, 2) << "the snapshot and the deletion";
}

// A project with a sync scope: every search ANDs it in, and what the sweep
// did not list but Jira still has travels in a chunk marked out of scope
// (the writer marks those out of scope; what Jira no longer has is deleted).
TEST_F(ShiftingPagesTest, WithASyncScopeTheUnlistedIssuesJiraStillHasAreOutOfScope) {
  ProjectSettings scoped;
  scoped.key = "P";
  scoped.jql = "labels = team-a OR assignee = currentUser()";
  install_sync_scopes({scoped});
  for (int id = 1; id <= 4; ++id) sim.updated[id] = at(id);
  FakeCachedIssueIds cache;
  cache.ids = {"1", "2", "3", "4", "5", "6"};  // 5 left the scope, 6 was deleted
  ctx.cached_ids = &cache;
  client.bulk_answer = [this](const std::vector<std::string>& ids) {
    BulkFetchResult r = sim.bulk_fetch(ids);
    if (std::find(ids.begin(), ids.end(), "5") != ids.end()) {
      r.issues.push_back(read_issue_text(R"({"id":"5","key":"P-5","fields":{"updated":")" +
                                         OffsetPagingJira::stamp(at(30)) + R"("}})"));
    }
    return r;
  };
  auto job = start(JobKind::kFull, at(19) + 60000);
  const bool done = FetchRun(job, ctx).execute();
  install_sync_scopes({});
  ASSERT_TRUE(done);

  for (const auto& r : client.search_requests) {
    EXPECT_NE(r.jql.find("project = \"P\" AND (labels = team-a OR assignee = currentUser())"),
              std::string::npos)
        << r.jql;
  }
  std::set<std::string> listed, out_of_scope;
  for (const auto& r : producer.records) {
    const RawRecord record = decode_raw_record(r.value);
    if (const auto* chunk = std::get_if<SweepChunk>(&record)) {
      (chunk->out_of_scope ? out_of_scope : listed)
          .insert(chunk->issue_ids.begin(), chunk->issue_ids.end());
    }
  }
  EXPECT_EQ(listed, (std::set<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(out_of_scope, (std::set<std::string>{"5"}));
}

TEST_F(ShiftingPagesTest, WithoutASyncScopeNoChunkIsMarkedOutOfScope) {
  for (int id = 1; id <= 4; ++id) sim.updated[id] = at(id);
  FakeCachedIssueIds cache;
  cache.ids = {"1", "2", "3", "4", "5"};
  ctx.cached_ids = &cache;
  client.bulk_answer = [this](const std::vector<std::string>& ids) {
    BulkFetchResult r = sim.bulk_fetch(ids);
    r.issues.push_back(read_issue_text(R"({"id":"5","key":"Q-1","fields":{"updated":")" +
                                       OffsetPagingJira::stamp(at(30)) + R"("}})"));
    return r;
  };
  auto job = start(JobKind::kFull, at(19) + 60000);
  ASSERT_TRUE(FetchRun(job, ctx).execute());
  for (const auto& r : producer.records) {
    const RawRecord record = decode_raw_record(r.value);
    if (const auto* chunk = std::get_if<SweepChunk>(&record)) {
      EXPECT_FALSE(chunk->out_of_scope);
    }
  }
}

}  // namespace
}  // namespace jirasync
