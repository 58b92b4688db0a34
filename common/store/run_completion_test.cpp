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

TEST(RunCompletion, SqlStatesTheSameRuleOverTheGivenExpressions) {
  EXPECT_EQ(run_completes_sql("fetch_complete = 1", "applied + ?", "emitted"),
            "status = 'running' AND fetch_complete = 1 AND applied + ? >= emitted");
  const std::string set = finalise_run_sql("1 = 1", "applied", "?");
  EXPECT_NE(set.find("status = CASE WHEN status = 'running' AND 1 = 1 AND applied >= ? THEN "
                     "'success' ELSE status END"),
            std::string::npos)
      << set;
  EXPECT_NE(set.find("finished_ms = CASE WHEN"), std::string::npos) << set;
}

}  // namespace
}  // namespace jirasync
