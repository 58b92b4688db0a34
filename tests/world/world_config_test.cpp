#include "tests/world/world_config.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/config/config.hpp"

namespace jirasync::world {
namespace {

WorldConfig kafka_world() {
  WorldConfig c;
  c.jira_base_url = "http://127.0.0.1:4321";
  c.projects = {{"WRKA", {{"strategy", "MANUAL"}, {"cache_ttl", "2s"}}}, {"WMB", {}}};
  c.database_url = "postgresql://jirasync@127.0.0.1:5432/db1";
  c.kafka_brokers = "127.0.0.1:9092";
  c.topic_prefix = "e2e.1_2.";
  return c;
}

TEST(WorldConfigTest, TheRealLoaderReadsWhatItWrites) {
  auto c = kafka_world();
  c.settings = {{"jira.rate_per_s", "0"},
                {"writer.batch_size", "77"},
                {"kafka.api_version_request", "false"},
                {"kafka.broker_version_fallback", "0.9.0.1"},
                {"runs.lease_ms", "120000"}};
  const Config config = load_config_from(config_yaml(c), {});
  EXPECT_EQ(config.jira.base_url, "http://127.0.0.1:4321");
  EXPECT_EQ(config.jira.email, "demo@jirasim.test");
  EXPECT_EQ(config.jira.rate_per_s, 0);
  ASSERT_EQ(config.projects.size(), 2u);
  EXPECT_EQ(config.projects[0].key, "WRKA");
  EXPECT_EQ(config.projects[0].strategy, "MANUAL");
  EXPECT_EQ(config.projects[0].cache_ttl_ms, 2000);
  EXPECT_EQ(config.projects[1].key, "WMB");
  EXPECT_EQ(config.database_url, "postgresql://jirasync@127.0.0.1:5432/db1");
  EXPECT_EQ(config.kafka.brokers, "127.0.0.1:9092");
  EXPECT_EQ(config.kafka.topic_prefix, "e2e.1_2.");
  EXPECT_EQ(config.kafka.api_version_request, "false");
  EXPECT_EQ(config.kafka.broker_version_fallback, "0.9.0.1");
  EXPECT_EQ(config.writer_batch_size, 77);
  EXPECT_EQ(config.run_lease_ms, 120000);
}

TEST(WorldConfigTest, CronExpressionsAndOddTextSurviveQuoting) {
  auto c = kafka_world();
  c.projects[0].settings = {{"incremental_cron", "0 0 1 1 *"}, {"full_cron", "0 0 1 1 *"}};
  c.database_url = "sqlite:/tmp/a: b #c'd.db";
  const Config config = load_config_from(config_yaml(c), {});
  EXPECT_EQ(config.projects[0].incremental_cron, "0 0 1 1 *");
  EXPECT_EQ(config.database_url, "sqlite:/tmp/a: b #c'd.db");
}

TEST(WorldConfigTest, ALaterSettingWins) {
  auto c = kafka_world();
  c.settings = {{"writer.batch_size", "5"}, {"writer.batch_size", "9"}};
  EXPECT_EQ(load_config_from(config_yaml(c), {}).writer_batch_size, 9);
}

TEST(WorldConfigTest, AnInProcessWorldHasNoKafkaSection) {
  auto c = kafka_world();
  c.bus = "inprocess";
  c.database_url = "sqlite:/tmp/x.db";
  const std::string yaml = config_yaml(c);
  EXPECT_EQ(yaml.find("kafka"), std::string::npos) << yaml;
  EXPECT_EQ(load_config_from(yaml, {}).bus, BusKind::kInProcess);
}

TEST(WorldConfigTest, SettingsFromACommandLine) {
  EXPECT_EQ(parse_setting("writer.batch_size=500"), Setting("writer.batch_size", "500"));
  EXPECT_EQ(parse_setting("jira.base_url=http://h/?a=b"),
            Setting("jira.base_url", "http://h/?a=b"));
  EXPECT_THROW(parse_setting("writer.batch_size"), std::invalid_argument);
  EXPECT_THROW(parse_setting("=5"), std::invalid_argument);
  EXPECT_THROW(parse_setting("writer..batch_size=5"), std::invalid_argument);
  EXPECT_THROW(parse_setting("writer.=5"), std::invalid_argument);
}

TEST(WorldConfigTest, ProjectKeysOfASimulatorSpec) {
  const auto p = projects_of("WRKA:2000,WMB:1000");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].key, "WRKA");
  EXPECT_EQ(p[1].key, "WMB");
}

}  // namespace
}  // namespace jirasync::world
