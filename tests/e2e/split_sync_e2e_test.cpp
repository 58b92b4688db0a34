// Split syncs (ids listed, then bulkfetch chunks in flight together) against
// a slow, faulty Jira that changes while the sync runs; and the shared rate
// limit with requests in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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
  EXPECT_EQ(requests - comment_requests, 1 + 25) << "one page of ids, 25 chunks";
  EXPECT_EQ(refused(h.sim()), 0) << "8 requests in flight under a matching bucket drew 429s";
  EXPECT_LE(static_cast<double>(requests), kRate * elapsed_s + kBurst);
  h.sim().configure(R"({"rateLimit":null})");  // the checks below read Jira too
  EXPECT_EQ(comment_requests, comment_pages_needed(h.sim().base_url(), "RT"));
  h.expect_cache_equals_jira("RT");
}

}  // namespace
}  // namespace jirasync::e2e
