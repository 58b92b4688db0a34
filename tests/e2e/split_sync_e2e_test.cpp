// Split syncs (ids listed, then bulkfetch chunks in flight together) against
// a slow, faulty Jira that changes while the sync runs; and the shared rate
// limit with requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "common/store/sql_query.hpp"
#include "tests/e2e/cache_comparison.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

int64_t refused(SimulatorProcess& sim) {
  int64_t n = 0;
  for (const char* endpoint :
       {"POST /rest/api/3/search/jql", "GET /rest/api/3/search/jql",
        "POST /rest/api/3/issue/bulkfetch", "POST /rest/api/3/search/approximate-count"}) {
    n += sim.requests(endpoint, "429");
  }
  return n;
}

// Slices sent before every fetcher joined the slices group would go to the first ones.
void wait_for_slice_partitions(PipelineHarness& h, const std::vector<std::string>& fetchers) {
  ASSERT_TRUE(testing::wait_until(
      [&] {
        for (const auto& f : fetchers) {
          if (h.assigned_partitions(f, "fetcher.slices: assigned ") <= 0) return false;
        }
        return true;
      },
      60s, 100ms))
      << "not every fetcher got partitions of fetch.slices\n"
      << h.logs();
}

int64_t query_count(PipelineHarness& h, const std::string& sql, const std::string& run_id) {
  auto lock = h.database().lock();
  auto row = SqlQuery(sql).arg(run_id).fetch_one(h.database().session(), "i");
  return row ? row->i64(0) : 0;
}

// How many fetcher processes recorded slices of the run.
int64_t fetchers_of(PipelineHarness& h, const std::string& run_id) {
  return query_count(h, "SELECT COUNT(DISTINCT fetched_by) FROM run_slices WHERE run_id = ?",
                     run_id);
}

// Slices recorded under the run's current listing: a fetcher killed while it
// owned the run lists again, and its earlier listing's slices stay behind.
int64_t slices_recorded(PipelineHarness& h, const std::string& run_id) {
  return query_count(h,
                     "SELECT COUNT(*) FROM run_slices s JOIN sync_runs r ON r.id = s.run_id "
                     "AND r.slice_listing = s.listing WHERE s.run_id = ?",
                     run_id);
}

// Samples the simulator's request count while a sync runs, to check every
// window of it against the shared rate.
class RequestSampler {
 public:
  explicit RequestSampler(SimulatorProcess& sim) : sim_(sim) {
    thread_ = std::thread([this] {
      while (running_.load()) {
        samples_.emplace_back(std::chrono::steady_clock::now(), sim_.total_requests());
        std::this_thread::sleep_for(500ms);  // a sampling pace, not a wait for a state
      }
    });
  }
  ~RequestSampler() { stop(); }
  void stop() {
    running_ = false;
    if (thread_.joinable()) thread_.join();
  }
  // The most requests seen above `rate` × time + `burst` in any window of
  // at least a second between two samples (<= 0: never over).
  double worst_excess(double rate, double burst) const {
    double worst = -1e9;
    for (size_t i = 0; i < samples_.size(); ++i) {
      for (size_t j = i + 1; j < samples_.size(); ++j) {
        const double dt =
            std::chrono::duration<double>(samples_[j].first - samples_[i].first).count();
        if (dt < 1.0) continue;
        const double n = static_cast<double>(samples_[j].second - samples_[i].second);
        worst = std::max(worst, n - (rate * dt + burst));
      }
    }
    return worst;
  }
  size_t size() const { return samples_.size(); }

 private:
  SimulatorProcess& sim_;
  std::atomic<bool> running_{true};
  std::vector<std::pair<std::chrono::steady_clock::time_point, int64_t>> samples_;
  std::thread thread_;
};

class SplitSync : public ::testing::TestWithParam<int> {};

TEST_P(SplitSync, LatencyFaultsAndChangesDuringTheSyncLoseNothing) {
  const int fetchers = GetParam();
  PipelineHarness h;
  h.start_simulator("SPA:2500,SPB:1200,SPC:600",
                    {"--fault-latency-ms", "40", "--fault-error-rate", "0.05", "--fault-statuses",
                     "500,503", "--fault-issue-error-rate", "0.01"});
  h.configure({.projects = {{"SPA"}, {"SPB"}, {"SPC"}}, .jira_max_attempts = 8});
  h.start_service("scheduler");
  h.start_service("writer");
  h.start_service("reconciler");
  for (int i = 1; i <= fetchers; ++i) h.start_service("fetcher", "fetcher" + std::to_string(i));

  // Jira changes all along the cold sync: edits while ids are listed and while
  // the chunks are in flight.
  std::atomic<bool> syncing{true};
  std::thread editor([&] {
    for (uint64_t seed = 1; syncing.load() && seed <= 400; ++seed) {
      h.sim().control("POST", "/__sim/bulk-mutate",
                      R"({"count":5,"seed":)" + std::to_string(seed) + "}");
      std::this_thread::sleep_for(30ms);  // a pace of edits, not a wait for a state
    }
  });
  const auto cold = h.sync({"--full"});
  syncing = false;
  editor.join();
  ASSERT_EQ(cold.size(), 3u);
  for (const auto& id : cold) EXPECT_EQ(h.run(id)->status, RunStatus::kSuccess) << h.run(id)->error;

  // What changed after a listing passed it is the next run's, from the cursor.
  const auto next = h.sync({"--incremental"});
  ASSERT_EQ(next.size(), 3u);
  for (const auto& id : next) EXPECT_EQ(h.run(id)->status, RunStatus::kSuccess) << h.run(id)->error;
  h.sim().configure(R"({"faults":{"errorRate":0,"issueErrorRate":0,"latencyMs":0}})");
  for (const char* project : {"SPA", "SPB", "SPC"}) h.expect_cache_equals_jira(project);
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Fetchers, SplitSync, ::testing::Values(1, 2, 3),
                         [](const auto& info) { return std::to_string(info.param) + "Fetchers"; });

class OneProjectSlices : public ::testing::TestWithParam<int> {};

// One project: its chunks spread over every fetcher as slices, while Jira is
// slow, faulty and edited, and every second stays within the shared rate.
TEST_P(OneProjectSlices, SpreadOverEveryFetcherUnderTheSharedRateLoseNothing) {
  const int fetchers = GetParam();
  constexpr double kRate = 25, kBurst = 5;
  PipelineHarness h;
  h.start_simulator("SLA:5000",
                    {"--fault-latency-ms", "40", "--fault-error-rate", "0.05", "--fault-statuses",
                     "500,503", "--fault-issue-error-rate", "0.01"});
  // Five listing pages: slices of the first are fetched while the next are listed.
  h.configure({.projects = {{"SLA"}},
               .rate_per_s = kRate,
               .rate_burst = kBurst,
               .jira_max_attempts = 8,
               .sweep_page_size = 1000});
  h.start_service("scheduler");
  h.start_service("writer");
  h.start_service("reconciler");
  std::vector<std::string> names;
  for (int i = 1; i <= fetchers; ++i) {
    names.push_back("fetcher" + std::to_string(i));
    h.start_service("fetcher", names.back());
  }
  wait_for_slice_partitions(h, names);

  std::atomic<bool> syncing{true};
  std::thread editor([&] {
    for (uint64_t seed = 1; syncing.load() && seed <= 400; ++seed) {
      h.sim().control("POST", "/__sim/bulk-mutate",
                      R"({"count":5,"seed":)" + std::to_string(seed) + "}");
      std::this_thread::sleep_for(30ms);  // a pace of edits, not a wait for a state
    }
  });
  h.sim().reset_counters();
  RequestSampler sampler(h.sim());
  const auto cold = h.sync({"--full"});
  sampler.stop();
  syncing = false;
  editor.join();
  ASSERT_EQ(cold.size(), 1u);
  const auto run = h.run(cold[0]);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_GE(run->slices_total, 50) << "5,000 issues are 50 chunks";
  EXPECT_EQ(run->slices_done, run->slices_total);
  EXPECT_EQ(fetchers_of(h, cold[0]), fetchers) << "not every fetcher fetched slices of the run";
  EXPECT_GE(sampler.size(), 3u);
  EXPECT_LE(sampler.worst_excess(kRate, kBurst), 0.0)
      << "more requests in some window than " << kRate << "/s + " << kBurst << " burst";

  const auto next = h.sync({"--incremental"});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(h.run(next[0])->status, RunStatus::kSuccess) << h.run(next[0])->error;
  h.sim().configure(R"({"faults":{"errorRate":0,"issueErrorRate":0,"latencyMs":0}})");
  h.expect_cache_equals_jira("SLA");
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Fetchers, OneProjectSlices, ::testing::Values(1, 2, 3),
                         [](const auto& info) { return std::to_string(info.param) + "Fetchers"; });

TEST(SplitSyncSlices, AFetcherKilledMidSliceIsReplacedAndTheRunSucceeds) {
  PipelineHarness h;
  // Slow and rate-limited, so slices are in flight on both fetchers for a while.
  h.start_simulator("SK:8000", {"--fault-latency-ms", "400"});
  h.configure({.projects = {{"SK"}}, .rate_per_s = 8, .rate_burst = 4, .sweep_page_size = 2000});
  h.start_service("scheduler");
  h.start_service("writer");
  h.start_service("reconciler");
  h.start_service("fetcher", "fetcher1");
  h.start_service("fetcher", "fetcher2");
  wait_for_slice_partitions(h, {"fetcher1", "fetcher2"});

  const std::string run_id = h.start_run({"--full"});
  ASSERT_FALSE(run_id.empty());
  // Both fetchers are fetching slices: fetcher2 holds some in flight.
  ASSERT_TRUE(testing::wait_until(
      [&] { return finished(h.run(run_id)) || fetchers_of(h, run_id) >= 2; }, 120s))
      << h.logs();
  ASSERT_FALSE(finished(h.run(run_id))) << "the run ended before a fetcher could be killed";
  const int64_t before = slices_recorded(h, run_id);
  h.kill_service("fetcher2");
  const auto killed_at = std::chrono::steady_clock::now();
  h.start_service("fetcher", "fetcher2-restarted");

  ASSERT_TRUE(testing::wait_until([&] { return finished(h.run(run_id)); }, 300s))
      << "the run did not end after the kill\n"
      << h.logs();
  const auto run = h.run(run_id);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error << "\n" << h.logs();
  // The killed fetcher's slices come again after the group's session timeout
  // (10 s), not after the run's lease: the attempt goes on.
  EXPECT_EQ(run->attempt, 1) << run->error;
  EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 60s) << h.logs();
  EXPECT_LT(before, run->slices_total) << "the kill came after the last slice";
  EXPECT_EQ(run->slices_done, run->slices_total);
  EXPECT_EQ(slices_recorded(h, run_id), run->slices_total);
  EXPECT_EQ(run->applied, run->emitted);
  EXPECT_EQ(h.tickets().count("SK"), 8000);
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
  h.sim().configure(R"({"faults":{"latencyMs":0}})");  // the comparison reads Jira too
  h.expect_cache_equals_jira("SK");
}

TEST(SplitSyncRate, ABucketThatMatchesJirasLimitDrawsNo429) {
  constexpr double kRate = 5, kBurst = 5;
  PipelineHarness h;
  h.start_simulator("RT:2500", {"--rate-limit", "5/s", "--rate-burst", "5"});
  h.configure({.projects = {{"RT"}}, .rate_per_s = kRate, .rate_burst = kBurst});
  h.start_all_services();
  h.sim().reset_counters();
  const auto t0 = std::chrono::steady_clock::now();
  const auto ids = h.sync({"--full"});
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(h.run(ids[0])->status, RunStatus::kSuccess) << h.run(ids[0])->error;
  const int64_t requests = h.sim().total_requests();
  // Issues with more comments than a page shows cost a comment page each on top.
  const int64_t comment_requests =
      h.sim().requests("GET /rest/api/3/issue/{issueIdOrKey}/comment", "200");
  const int64_t field_requests = h.sim().field_list_reads();
  EXPECT_EQ(requests - comment_requests - field_requests, 1 + 25) << "one page of ids, 25 chunks";
  EXPECT_EQ(field_requests, 1) << "the full sync reads Jira's field list once";
  EXPECT_EQ(refused(h.sim()), 0) << "8 requests in flight under a matching bucket drew 429s";
  EXPECT_LE(static_cast<double>(requests), kRate * elapsed_s + kBurst);
  h.sim().configure(R"({"rateLimit":null})");  // the checks below read Jira too
  EXPECT_EQ(comment_requests, comment_pages_needed(h.sim().base_url(), "RT"));
  h.expect_cache_equals_jira("RT");
}

}  // namespace
}  // namespace jirasync::e2e
