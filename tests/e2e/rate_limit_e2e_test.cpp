// Several fetchers share one rate limit; a 429 storm is survived.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/e2e/pipeline_harness.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Partitions of the jobs topic in the last "assigned N partition(s)" line of a
// fetcher's log, 0 when none. The fetcher's slice consumer logs the same words
// for its own group (".fetcher.slices: assigned"), which says nothing about jobs.
int last_jobs_assignment(const std::string& log) {
  const std::string marker = ".fetcher: assigned ";
  const size_t at = log.rfind(marker);
  if (at == std::string::npos) return 0;
  return std::atoi(log.c_str() + at + marker.size());
}

void expect_fetchers_share_the_limit(int fetchers) {
  constexpr double kRate = 4, kBurst = 4;
  PipelineHarness h;
  // Six projects spread the jobs over the topic's partitions, so every fetcher gets work.
  h.start_simulator("RA:400,RB:400,RC:400,RD:400,RE:400,RF:400");
  h.configure({.projects = {{"RA"}, {"RB"}, {"RC"}, {"RD"}, {"RE"}, {"RF"}},
               .rate_per_s = kRate,
               .rate_burst = kBurst});
  h.start_service("scheduler");
  h.start_service("writer");
  h.start_service("reconciler");
  for (int i = 1; i <= fetchers; ++i) h.start_service("fetcher", "fetcher" + std::to_string(i));
  // Jobs sent before every fetcher joined the group would all go to the first.
  ASSERT_TRUE(testing::wait_until(
      [&] {
        for (int i = 1; i <= fetchers; ++i) {
          if (last_jobs_assignment(read_file(h.dir() + "/fetcher" + std::to_string(i) + ".log")) <=
              0)
            return false;
        }
        return true;
      },
      60s, 100ms))
      << "not every fetcher got partitions of the jobs topic\n"
      << h.logs();

  h.sim().reset_counters();
  const auto t0 = std::chrono::steady_clock::now();
  const auto ids = h.sync({"--full"});
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(ids.size(), 6u);
  const int64_t requests = h.sim().total_requests();
  for (const auto& id : ids) {
    EXPECT_EQ(h.run(id)->status, RunStatus::kSuccess) << h.run(id)->error;
  }
  // A token bucket never lets more than rate * time + burst through.
  EXPECT_LE(static_cast<double>(requests), kRate * elapsed_s + kBurst)
      << requests << " requests in " << elapsed_s << " s with " << fetchers << " fetchers";
  EXPECT_GE(requests, 6 * 5) << "each project needs a page of ids and 4 bulkfetch chunks";

  int working = 0;
  for (int i = 1; i <= fetchers; ++i) {
    if (read_file(h.dir() + "/fetcher" + std::to_string(i) + ".log").find(" fetched: ") !=
        std::string::npos) {
      ++working;
    }
  }
  EXPECT_GE(working, 2) << "the limit was not shared: only " << working << " of " << fetchers
                        << " fetchers ran a job";
}

TEST(PipelineRateLimit, TwoFetchersStayUnderTheSharedLimit) {
  expect_fetchers_share_the_limit(2);
}

TEST(PipelineRateLimit, ThreeFetchersStayUnderTheSharedLimit) {
  expect_fetchers_share_the_limit(3);
}

TEST(PipelineRateLimit, A429StormWithRetryAfterIsSurvived) {
  PipelineHarness h;
  h.start_simulator("WRKA:1500");
  // Jira allows far less than we would send.
  h.configure({.projects = {{"WRKA"}}, .rate_per_s = 0, .jira_max_attempts = 8});
  h.start_all_services();
  h.sim().configure(R"({"rateLimit":{"perSecond":3,"burst":2}})");
  h.sim().reset_counters();

  const auto ids = h.sync({"--full"});
  ASSERT_EQ(ids.size(), 1u);
  const auto run = h.run(ids[0]);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_GT(h.sim().requests("GET /rest/api/3/search/jql", "429") +
                h.sim().requests("POST /rest/api/3/search/jql", "429") +
                h.sim().requests("POST /rest/api/3/search/approximate-count", "429") +
                h.sim().requests("POST /rest/api/3/issue/bulkfetch", "429"),
            0)
      << "the simulator never answered 429: no storm happened";
  h.sim().configure(R"({"rateLimit":null})");
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
