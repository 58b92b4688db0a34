// A real API token must never reach a log line or an error message: run the
// CLI and a service against the simulator with a token, at debug level, on
// success and failure paths, and search everything they printed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::ChildProcess;
using jirasync::testing::run_to_exit;

// Shaped like an Atlassian API token; the simulator does not know it.
const std::string kToken = "ATATT3xFfGF0q9Zc7Lh2mN4pR6sT8vW0yB1dE3gH5jK7lM9nP_Qr-StUvWxYz=ABCD1234";
// base64("demo@jirasim.test:" + kToken) would be in a Basic header.
std::string basic_header_value() {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = "demo@jirasim.test:" + kToken;
  std::string out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(tbl[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(tbl[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

class CliSecrets : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("jirasync-cli-" + std::to_string(getpid()));
    fs::create_directories(dir);
    sim = std::make_unique<ChildProcess>(
        std::vector<std::string>{binary_path("jirasim"), "--port", "0", "--port-file",
                                 (dir / "port").string(), "--projects", "SEC:20"},
        std::map<std::string, std::string>{}, (dir / "sim.log").string());
    ASSERT_TRUE(jirasync::testing::wait_until(
        [&] { return fs::exists(dir / "port") && fs::file_size(dir / "port") > 0; },
        std::chrono::seconds(30)))
        << sim->log_tail();
    std::ifstream(dir / "port") >> port;
    config = (dir / "jirasync.yaml").string();
    std::ofstream(config) << "jira:\n  base_url: http://127.0.0.1:" << port
                          << "\n  email: demo@jirasim.test\n  max_attempts: 2\n"
                          << "  backoff_base_ms: 10\n  backoff_max_ms: 20\n"
                          << "projects:\n  - key: SEC\n"
                          << "database_url: sqlite:" << (dir / "cache.db").string()
                          << "\nbus: inprocess\nruns:\n  max_attempts: 1\n";
  }
  void TearDown() override {
    sim.reset();
    fs::remove_all(dir);
  }
  jirasync::testing::CommandResult cli(std::vector<std::string> args,
                                       std::map<std::string, std::string> env) {
    args.insert(args.begin(), {binary_path("jirasync"), "--log-level", "debug", "-c", config});
    return run_to_exit(args, env, (dir / "cli.log").string(), std::chrono::seconds(60));
  }
  void expect_no_secret(const std::string& output) {
    EXPECT_EQ(output.find(kToken), std::string::npos) << output;
    EXPECT_EQ(output.find(basic_header_value()), std::string::npos) << output;
    // Not even a long fragment of it.
    EXPECT_EQ(output.find(kToken.substr(10, 24)), std::string::npos) << output;
  }

  fs::path dir;
  int port = 0;
  std::string config;
  std::unique_ptr<ChildProcess> sim;
};

TEST_F(CliSecrets, RejectedTokenIsNamedButNeverShown) {
  auto r = cli({"check"}, {{"JIRA_API_TOKEN", kToken}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("FAIL  jira"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("401"), std::string::npos) << r.output;
  expect_no_secret(r.output);
}

TEST_F(CliSecrets, FailedSyncLogsAtDebugLevelWithoutTheToken) {
  auto r = cli({"sync", "--project", "SEC", "--wait"}, {{"JIRA_API_TOKEN", kToken}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("failed"), std::string::npos) << r.output;
  expect_no_secret(r.output);
}

TEST_F(CliSecrets, TokenFromAFileIsNotPrintedEither) {
  const auto token_file = dir / "token";
  std::ofstream(token_file) << kToken << "\n";
  auto r = cli({"check"}, {{"JIRA_API_TOKEN_FILE", token_file.string()}});
  EXPECT_NE(r.exit_code, 0);
  expect_no_secret(r.output);
}

TEST_F(CliSecrets, TokenInTheConfigFileIsRefusedWithoutEchoingIt) {
  std::ofstream(config, std::ios::app) << "# appended\n";
  {
    std::ifstream in(config);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text.replace(text.find("  email:"), 0, "  api_token: " + kToken + "\n");
    std::ofstream(config) << text;
  }
  auto r = cli({"check"}, {});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("api_token"), std::string::npos) << r.output;
  expect_no_secret(r.output);
}

TEST_F(CliSecrets, GoodTokenSyncsAndStaysOutOfTheOutput) {
  auto r = cli({"sync", "--project", "SEC", "--full", "--wait"},
               {{"JIRA_API_TOKEN", "jirasim-demo-token"}});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("success"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("jirasim-demo-token"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace jirasync
