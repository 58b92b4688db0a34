// kill -9 of each service in the middle of a run: the run still ends in
// success, the cache equals Jira, and no history row is written twice.
#include <gtest/gtest.h>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

TEST(PipelineCrash, KillNineOfEachServiceMidRunLosesAndDuplicatesNothing) {
  PipelineHarness h;
  // Slow Jira pages keep the run going long enough for four crashes.
  h.start_simulator("WRKA:10000", {"--fault-latency-ms", "120"});
  h.configure({.projects = {{"WRKA"}}, .lease_ms = 30000, .writer_batch_size = 200});
  h.start_all_services();

  const std::string run_id = h.start_run({"--full"});
  ASSERT_FALSE(run_id.empty());

  int64_t applied_at_restart = 0;
  for (const char* role : {"fetcher", "reconciler", "writer", "scheduler"}) {
    // Let the pipeline make progress since the last restart, then crash `role`.
    ASSERT_TRUE(testing::wait_until(
        [&] {
          auto run = h.run(run_id);
          return finished(run) || (run && run->applied >= applied_at_restart + 300);
        },
        180s))
        << "no progress before killing the " << role << "\n"
        << h.logs();
    auto before = h.run(run_id);
    ASSERT_FALSE(finished(before)) << "the run ended before the " << role
                                   << " could be killed mid-run; slow Jira down further";
    h.kill_service(role);
    h.start_service(role);
    applied_at_restart = h.run(run_id)->applied;
  }

  ASSERT_TRUE(testing::wait_until([&] { return finished(h.run(run_id)); }, 300s))
      << "the run did not end after the crashes\n"
      << h.logs();
  const auto run = h.run(run_id);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error << "\n" << h.logs();
  EXPECT_EQ(run->applied, run->emitted);
  EXPECT_EQ(h.tickets().count("WRKA"), 10000);
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
