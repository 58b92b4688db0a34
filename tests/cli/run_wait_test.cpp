// `sync --wait` returns promptly once its run ends: it reads the run at most
// a short poll interval after the run succeeded (issue 13: it returned 1-7 s
// late).
#include "cli/run_wait.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_run_store.hpp"

namespace jirasync {
namespace {

// Sleeping advances the fake time; the run succeeds at `success_ms`, as a
// writer's commit would while the CLI sleeps.
class RunEndingClock final : public Clock {
 public:
  RunEndingClock(fakes::FakeRunStore& runs, std::string id, int64_t success_ms)
      : runs_(runs), id_(std::move(id)), success_ms_(success_ms) {}
  int64_t now_ms() const override { return time_.now_ms(); }
  void sleep_ms(int64_t ms) override {
    for (int64_t i = 0; i < ms; ++i) {
      time_.advance_ms(1);
      if (time_.now_ms() == success_ms_) runs_.mark_fetch_complete(id_, 0, 0, {}, success_ms_);
    }
  }

 private:
  FakeClock time_{0};
  fakes::FakeRunStore& runs_;
  std::string id_;
  int64_t success_ms_;
};

SyncRun queued_run(const std::string& id) {
  SyncRun run;
  run.id = id;
  run.project = "WAIT";
  return run;
}

TEST(RunWait, ReturnsWithinFiftyMillisecondsOfTheRunsSuccess) {
  for (int64_t success_ms : {1, 37, 199, 200, 201, 1234}) {
    fakes::FakeRunStore fresh;
    fresh.create_run(queued_run("r1"));
    fresh.mark_running("r1", 0, 0);
    RunEndingClock clock(fresh, "r1", success_ms);
    EXPECT_TRUE(wait_for_runs(
        fresh, {"r1"}, [] { return false; }, clock));
    EXPECT_LE(clock.now_ms() - success_ms, 50) << "success at " << success_ms << " ms";
  }
}

TEST(RunWait, StopsWaitingWhenAborted) {
  fakes::FakeRunStore runs;
  runs.create_run(queued_run("r1"));
  FakeClock clock;
  EXPECT_FALSE(wait_for_runs(
      runs, {"r1"}, [] { return true; }, clock));
}

}  // namespace
}  // namespace jirasync
