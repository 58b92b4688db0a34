// A run that fails for good in the single-process mode (`jirasync sync
// --wait` against a Jira answering 503 to everything, two attempts) is
// notified exactly once to a local webhook receiver, signed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/notify/webhook_sink.hpp"
#include "tests/e2e/simulator_process.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/scripted_http_server.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::RecordedRequest;
using jirasync::testing::run_to_exit;
using jirasync::testing::ScriptedHttpServer;
using jirasync::testing::ScriptedReply;

TEST(NotifyE2e, ARunThatFailsForGoodIsNotifiedOnce) {
  const fs::path dir =
      fs::temp_directory_path() / ("jirasync-notify-e2e-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ScriptedHttpServer receiver([](const RecordedRequest&) { return ScriptedReply{}; });
  {
    e2e::SimulatorProcess sim(dir.string(), "WAIT:30");
    sim.configure(R"({"faults":{"errorRate":1,"errorStatuses":[503]}})");
    const std::string config = (dir / "jirasync.yaml").string();
    std::ofstream(config) << "jira:\n  base_url: " << sim.base_url()
                          << "\n  email: demo@jirasim.test\n  max_attempts: 1\n"
                          << "projects:\n  - key: WAIT\n"
                          << "database_url: sqlite:" << (dir / "cache.db").string()
                          << "\nbus: inprocess\nruns:\n  max_attempts: 2\n"
                          << "notifications:\n  events: [run_failed, run_succeeded]\n"
                          << "  sinks:\n    - name: ops\n      type: webhook\n      url: "
                          << receiver.base_url() << "/hook\n";
    const std::map<std::string, std::string> env{{"JIRA_API_TOKEN", "jirasim-demo-token"},
                                                 {"JIRASYNC_NOTIFY_OPS_SECRET", "e2e-secret"}};
    auto r =
        run_to_exit({binary_path("jirasync"), "-c", config, "sync", "--project", "WAIT", "--wait"},
                    env, (dir / "cli.log").string(), std::chrono::seconds(90));
    ASSERT_NE(r.exit_code, jirasync::testing::kTimedOutExitCode) << r.output;
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(r.output.find("e2e-secret"), std::string::npos) << r.output;
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u) << "exactly one notification for one failed run";
  const RecordedRequest& n = requests[0];
  EXPECT_EQ(n.target, "/hook");
  EXPECT_EQ(n.headers.at("x-jirasync-event"), "run_failed");
  EXPECT_EQ(n.headers.at("x-jirasync-signature"), notification_signature("e2e-secret", n.body));
  EXPECT_NE(n.body.find("\"project\":\"WAIT\""), std::string::npos) << n.body;
  EXPECT_NE(n.body.find("\"attempts\":2"), std::string::npos) << n.body;
  EXPECT_NE(n.body.find("503"), std::string::npos) << n.body;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace jirasync
