// Two reconcilers and two writers share the topics' partitions; one writer
// killed mid-run hands its partitions to the other and nothing is lost.
#include <gtest/gtest.h>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

TEST(PipelineScale, TwoReconcilersAndTwoWritersShareTheWorkAndAKilledWriterLosesNothing) {
  PipelineHarness h;
  // Slow Jira pages keep the run going while a writer is killed.
  h.start_simulator("WRKA:8000", {"--fault-latency-ms", "120"});
  h.configure({.projects = {{"WRKA"}},
               .lease_ms = 30000,
               .writer_batch_size = 200,
               .reconcilers = 2,
               .writers = 2});
  h.start_all_services();
  // Records sent before both processes of a role joined its group would go to one.
  ASSERT_TRUE(testing::wait_until(
      [&] {
        for (const char* instance : {"reconciler", "reconciler2", "writer", "writer2"}) {
          if (h.assigned_partitions(instance) <= 0) return false;
        }
        return true;
      },
      60s, 100ms))
      << "not every reconciler and writer got partitions\n"
      << h.logs();

  const std::string run_id = h.start_run({"--full"});
  ASSERT_FALSE(run_id.empty());
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto run = h.run(run_id);
        return finished(run) || (run && run->applied >= 1000);
      },
      180s))
      << h.logs();
  ASSERT_FALSE(finished(h.run(run_id))) << "the run ended before writer2 could be killed";
  h.kill_service("writer2");

  ASSERT_TRUE(testing::wait_until([&] { return finished(h.run(run_id)); }, 300s))
      << "the run did not end after writer2 was killed\n"
      << h.logs();
  const auto run = h.run(run_id);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error << "\n" << h.logs();
  EXPECT_EQ(run->applied, run->emitted);
  EXPECT_EQ(h.tickets().count("WRKA"), 8000);
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
