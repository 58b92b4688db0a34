#include "common/runtime/service_options.hpp"

#include <cstdio>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>

namespace jirasync {
namespace {

constexpr const char* kDescription = "Fetches Jira issues for sync jobs and publishes snapshots.";

CommandLine read(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), "jirasync-fetcher");
  return read_command_line(static_cast<int>(args.size()), args.data(), "jirasync-fetcher",
                           kDescription, env);
}

class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    path_ = ::testing::TempDir() + "/service_options_test.yaml";
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::remove(path_.c_str()); }
  const char* path() const { return path_.c_str(); }

 private:
  std::string path_;
};

TEST(ServiceOptionsTest, NoArgumentsMeansDefaults) {
  const CommandLine line = read({});
  ASSERT_TRUE(line.options.has_value());
  EXPECT_EQ(*line.options, ServiceOptions{});
}

TEST(ServiceOptionsTest, ReadsEveryOption) {
  ConfigFile file("bus: inprocess\n");
  const CommandLine line =
      read({"--config", file.path(), "--listen", "127.0.0.1:9000", "--log-level", "debug"});
  ASSERT_TRUE(line.options.has_value()) << line.output;
  EXPECT_EQ(line.options->config_path, file.path());
  EXPECT_EQ(line.options->listen, "127.0.0.1:9000");
  EXPECT_EQ(line.options->log_level, "debug");
}

TEST(ServiceOptionsTest, ConfigDefaultsToEnvironmentAndFlagWins) {
  ConfigFile file("");
  EXPECT_EQ(read({}, {{"JIRASYNC_CONFIG", "/etc/jirasync.yaml"}}).options->config_path,
            "/etc/jirasync.yaml");
  EXPECT_EQ(read({"--config", file.path()}, {{"JIRASYNC_CONFIG", "/etc/jirasync.yaml"}})
                .options->config_path,
            file.path());
}

TEST(ServiceOptionsTest, HelpShowsDescriptionAndExitsZero) {
  for (const char* flag : {"--help", "-h"}) {
    const CommandLine line = read({flag});
    EXPECT_FALSE(line.options.has_value());
    EXPECT_EQ(line.exit_code, 0);
    EXPECT_NE(line.output.find(kDescription), std::string::npos) << line.output;
    EXPECT_NE(line.output.find("--config"), std::string::npos) << line.output;
    EXPECT_NE(line.output.find("--listen"), std::string::npos) << line.output;
  }
}

TEST(ServiceOptionsTest, VersionExitsZero) {
  const CommandLine line = read({"--version"});
  EXPECT_FALSE(line.options.has_value());
  EXPECT_EQ(line.exit_code, 0);
  EXPECT_NE(line.output.find("jirasync-fetcher 0."), std::string::npos) << line.output;
}

TEST(ServiceOptionsTest, UsageErrorsExitTwoWithMessage) {
  const CommandLine unknown = read({"--colour"});
  EXPECT_FALSE(unknown.options.has_value());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("--colour"), std::string::npos) << unknown.output;

  const CommandLine missing_file = read({"--config", "/nonexistent/x.yaml"});
  EXPECT_EQ(missing_file.exit_code, 2);
  EXPECT_NE(missing_file.output.find("/nonexistent/x.yaml"), std::string::npos)
      << missing_file.output;

  EXPECT_EQ(read({"--log-level", "loud"}).exit_code, 2);
  EXPECT_EQ(read({"--listen"}).exit_code, 2);
}

TEST(ServiceOptionsTest, LoadServiceConfigAppliesOverridesAboveEnvironment) {
  ConfigFile file("listen: 127.0.0.1:1\nlog_level: error\nbus: inprocess\n");
  ServiceOptions options;
  options.config_path = file.path();
  options.listen = "127.0.0.1:7070";
  options.log_level = "trace";
  const Config c = load_service_config(options, {{"JIRASYNC_LISTEN", "127.0.0.1:2"}});
  EXPECT_EQ(c.listen, "127.0.0.1:7070");
  EXPECT_EQ(c.log_level, "trace");
  EXPECT_EQ(c.bus, BusKind::kInProcess);
}

TEST(ServiceOptionsTest, LoadServiceConfigValidatesOverrides) {
  ServiceOptions options;
  options.listen = "nowhere";
  try {
    load_service_config(options, {});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "listen");
  }
}

}  // namespace
}  // namespace jirasync
