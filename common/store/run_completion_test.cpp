#include "common/store/run_completion.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

SyncRun running(bool fetch_complete, int64_t applied, int64_t emitted) {
  SyncRun run;
  run.status = RunStatus::kRunning;
  run.fetch_complete = fetch_complete;
  run.applied = applied;
  run.emitted = emitted;
  return run;
}

TEST(RunCompletion, SuccessNeedsTheWholeFetchAppliedWhileRunning) {
  EXPECT_TRUE(run_completes(running(true, 3, 3)));
  EXPECT_TRUE(run_completes(running(true, 0, 0)));
  EXPECT_FALSE(run_completes(running(true, 2, 3)));
  EXPECT_FALSE(run_completes(running(false, 3, 3)));  // more may still come
  SyncRun waiting = running(true, 3, 3);
  waiting.status = RunStatus::kRetryWait;  // a failed attempt is not finished by a late batch
  EXPECT_FALSE(run_completes(waiting));
}

TEST(RunCompletion, ASlicedRunWaitsForEverySlice) {
  SyncRun run = running(true, 3, 3);
  run.slices_total = 4;
  run.slices_done = 3;  // one slice still being fetched on some fetcher
  EXPECT_FALSE(run_completes(run));
  run.slices_done = 4;
  EXPECT_TRUE(run_completes(run));
}

TEST(RunCompletion, SqlStatesTheSameRuleOverTheGivenExpressions) {
  EXPECT_EQ(run_completes_sql("fetch_complete = 1", "applied + ?", "emitted"),
            "status = 'running' AND fetch_complete = 1 AND slices_done >= slices_total AND "
            "applied + ? >= emitted + slice_emitted");
  EXPECT_EQ(run_completes_sql("fetch_complete = 1", "applied", "emitted + ?", "slices_done + 1"),
            "status = 'running' AND fetch_complete = 1 AND slices_done + 1 >= slices_total AND "
            "applied >= emitted + ? + slice_emitted");
  const std::string set = finalise_run_sql("1 = 1", "applied", "?");
  EXPECT_NE(set.find("status = CASE WHEN status = 'running' AND 1 = 1 AND slices_done >= "
                     "slices_total AND applied >= ? + slice_emitted THEN "
                     "'success' ELSE status END"),
            std::string::npos)
      << set;
  EXPECT_NE(set.find("finished_ms = CASE WHEN"), std::string::npos) << set;
}

}  // namespace
}  // namespace jirasync
