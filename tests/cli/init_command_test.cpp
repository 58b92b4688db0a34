// `jirasync init`: a working embedded config from a site and an e-mail, and
// from it a synced cache (the README's first-run commands), never a token in
// the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/simulator_process.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::CommandResult;
using jirasync::testing::run_to_exit;

constexpr const char* kToken = "jirasim-demo-token";

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class InitCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("jirasync-init-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    config = dir / "jirasync.yaml";
  }
  void TearDown() override {
    sim.reset();
    fs::remove_all(dir);
  }
  CommandResult jirasync(std::vector<std::string> args,
                         std::map<std::string, std::string> env = {{"JIRA_API_TOKEN", kToken}}) {
    args.insert(args.begin(), binary_path("jirasync"));
    return run_to_exit(args, env, (dir / ("cli-" + std::to_string(++calls) + ".log")).string(),
                       std::chrono::seconds(120));
  }

  fs::path dir;
  fs::path config;
  int calls = 0;
  std::unique_ptr<e2e::SimulatorProcess> sim;
};

TEST_F(InitCommand, WritesAnEmbeddedConfigThatSyncsTheSite) {
  sim = std::make_unique<e2e::SimulatorProcess>(dir.string(), "INIT:40");
  const auto init = jirasync({"init", "--site", sim->base_url(), "--email", "demo@jirasim.test",
                              "--project", "INIT", "--output", config.string()});
  ASSERT_EQ(init.exit_code, 0) << init.output;
  const std::string text = read(config);
  EXPECT_EQ(text.find(kToken), std::string::npos) << "the token went into the file:\n" << text;
  EXPECT_NE(text.find("bus: inprocess"), std::string::npos) << text;
  EXPECT_NE(text.find("sqlite:" + (dir / "jirasync.db").string()), std::string::npos) << text;
  // Asked of Jira with the token, so currentUser() in cache searches is the user.
  EXPECT_NE(text.find("account_id: \"5d53f3cbc6b9320d9ea5bdc2\""), std::string::npos) << text;

  const auto run = jirasync({"-c", config.string(), "run", "--once"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto status = jirasync({"-c", config.string(), "status", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("\"INIT\""), std::string::npos) << status.output;
  const auto show = jirasync({"-c", config.string(), "show", "INIT-1"});
  EXPECT_EQ(show.exit_code, 0) << show.output;
}

TEST_F(InitCommand, SaysWhereTheTokenGoesWhenNoneIsSet) {
  const auto init = jirasync({"init", "--site", "https://example.atlassian.net", "--email",
                              "me@example.com", "--project", "WRKA", "--output", config.string()},
                             {});
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find("JIRA_API_TOKEN"), std::string::npos) << init.output;
}

TEST_F(InitCommand, NeverOverwritesWithoutForce) {
  std::ofstream(config) << "# mine\n";
  const std::vector<std::string> args = {"init",    "--site",   "https://example.atlassian.net",
                                         "--email", "me@x.com", "--project",
                                         "WRKA",    "--output", config.string()};
  const auto again = jirasync(args);
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
  EXPECT_EQ(read(config), "# mine\n");
  auto forced = args;
  forced.push_back("--force");
  EXPECT_EQ(jirasync(forced).exit_code, 0);
  EXPECT_NE(read(config).find("example.atlassian.net"), std::string::npos);
}

TEST_F(InitCommand, BadInputNamesTheFieldAndWritesNothing) {
  const auto http = jirasync({"init", "--site", "http://example.atlassian.net", "--email",
                              "me@example.com", "--project", "WRKA", "--output", config.string()});
  EXPECT_EQ(http.exit_code, 2) << http.output;
  EXPECT_NE(http.output.find("--site"), std::string::npos) << http.output;
  const auto project =
      jirasync({"init", "--site", "https://example.atlassian.net", "--email", "me@example.com",
                "--project", "wrka-1", "--output", config.string()});
  EXPECT_EQ(project.exit_code, 2) << project.output;
  EXPECT_NE(project.output.find("--project"), std::string::npos) << project.output;
  // No terminal to ask on (stdin is not one here): a missing value is a usage error.
  const auto missing = jirasync({"init", "--email", "me@example.com", "--output", config.string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("--site"), std::string::npos) << missing.output;
  EXPECT_FALSE(fs::exists(config));
}

}  // namespace
}  // namespace jirasync
