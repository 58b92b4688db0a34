// `jirasync sync --wait` in the single-process mode, against a Jira that
// fails: the run is retried in this process like in the services, and the
// wait ends — with the reason after the last attempt, or with success once
// the fault is gone (issue 8.5).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/simulator_process.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::ChildProcess;
using jirasync::testing::run_to_exit;
using jirasync::testing::wait_until;

const std::map<std::string, std::string> kEnv{{"JIRA_API_TOKEN", "jirasim-demo-token"}};

class SyncWait : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("jirasync-wait-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    sim = std::make_unique<e2e::SimulatorProcess>(dir.string(), "WAIT:30");
    // Every Jira request answers 503 (with Retry-After: 1) until a test clears it.
    sim->configure(R"({"faults":{"errorRate":1,"errorStatuses":[503]}})");
    config = (dir / "jirasync.yaml").string();
    // One request per run attempt, two run attempts 5 s apart.
    std::ofstream(config) << "jira:\n  base_url: " << sim->base_url()
                          << "\n  email: demo@jirasim.test\n  max_attempts: 1\n"
                          << "projects:\n  - key: WAIT\n"
                          << "database_url: sqlite:" << (dir / "cache.db").string()
                          << "\nbus: inprocess\nruns:\n  max_attempts: 2\n";
  }
  void TearDown() override {
    sim.reset();
    fs::remove_all(dir);
  }
  std::vector<std::string> sync_args() const {
    return {binary_path("jirasync"), "-c", config, "sync", "--project", "WAIT", "--wait"};
  }

  fs::path dir;
  std::string config;
  std::unique_ptr<e2e::SimulatorProcess> sim;
};

TEST_F(SyncWait, EndsWithTheReasonAfterTheLastAttemptWhenJiraKeepsFailing) {
  auto r = run_to_exit(sync_args(), kEnv, (dir / "cli.log").string(), std::chrono::seconds(60));
  ASSERT_NE(r.exit_code, jirasync::testing::kTimedOutExitCode) << "--wait hung:\n" << r.output;
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("failed in"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("HTTP 503"), std::string::npos) << r.output;
  // Both attempts reached Jira: the second one ran in this process.
  EXPECT_GE(sim->total_requests(), 2) << r.output;
  EXPECT_EQ(r.output.find("0 API calls"), std::string::npos) << r.output;

  // The failed run no longer holds the project: the next sync starts afresh.
  sim->configure(R"({"faults":{"errorRate":0}})");
  auto next = run_to_exit(sync_args(), kEnv, (dir / "cli2.log").string(), std::chrono::seconds(60));
  EXPECT_EQ(next.exit_code, 0) << next.output;
  EXPECT_NE(next.output.find("sync queued as run"), std::string::npos) << next.output;
}

TEST_F(SyncWait, EndsWithSuccessWhenTheFaultClearsBeforeTheRetry) {
  ChildProcess cli(sync_args(), kEnv, (dir / "cli.log").string());
  // The first attempt has failed once Jira has answered it a 503.
  ASSERT_TRUE(wait_until([&] { return sim->total_requests() >= 1; }, std::chrono::seconds(30)))
      << cli.log_tail();
  sim->configure(R"({"faults":{"errorRate":0}})");
  ASSERT_TRUE(wait_until([&] { return !cli.running(); }, std::chrono::seconds(60)))
      << "--wait hung:\n"
      << cli.log_tail();
  EXPECT_EQ(cli.stop(), 0) << cli.log_tail();
  const std::string output = cli.log_tail(100000);
  EXPECT_NE(output.find("success"), std::string::npos) << output;
  EXPECT_EQ(output.find("error: "), std::string::npos) << output;  // no earlier attempt's error
}

}  // namespace
}  // namespace jirasync
