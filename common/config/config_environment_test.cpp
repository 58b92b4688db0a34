#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"

namespace jirasync {
namespace {

TEST(ConfigEnvironmentTest, OverridesWinOverYaml) {
  const Config c = load_config_from(
      "jira: {base_url: https://a.atlassian.net, page_size: 10}\nkafka: {brokers: a:1}\n",
      {{"JIRASYNC_JIRA_BASE_URL", "http://127.0.0.1:8089"},
       {"JIRASYNC_JIRA_EMAIL", "ci@example.com"},
       {"JIRASYNC_JIRA_PAGE_SIZE", "25"},
       {"JIRASYNC_JIRA_RATE_PER_S", "0"},
       {"JIRASYNC_KAFKA_BROKERS", "127.0.0.1:9092"},
       {"JIRASYNC_KAFKA_API_VERSION_REQUEST", "false"},
       {"JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1"},
       {"JIRASYNC_KAFKA_IDEMPOTENCE", "true"},
       {"JIRASYNC_DATABASE_URL", "sqlite:/tmp/x.db"},
       {"JIRASYNC_BUS", "inprocess"},
       {"JIRASYNC_LISTEN", "127.0.0.1:9100"},
       {"JIRASYNC_LOG_LEVEL", "warn"},
       {"JIRASYNC_SCHEDULE_TIME_ZONE", "America/New_York"},
       {"JIRASYNC_WRITER_BATCH_SIZE", "7"},
       {"JIRASYNC_RUNS_LEASE_MS", "5000"},
       {"JIRASYNC_LIMITS_MAX_FIELD_BYTES", "1000"}});
  EXPECT_EQ(c.jira.base_url, "http://127.0.0.1:8089");
  EXPECT_EQ(c.jira.email, "ci@example.com");
  EXPECT_EQ(c.jira.page_size, 25);
  EXPECT_DOUBLE_EQ(c.jira.rate_per_s, 0);
  EXPECT_EQ(c.kafka.brokers, "127.0.0.1:9092");
  EXPECT_EQ(c.kafka.api_version_request, "false");
  EXPECT_EQ(c.kafka.broker_version_fallback, "0.9.0.1");
  EXPECT_TRUE(c.kafka.idempotence);
  EXPECT_EQ(c.database_url, "sqlite:/tmp/x.db");
  EXPECT_EQ(c.bus, BusKind::kInProcess);
  EXPECT_EQ(c.listen, "127.0.0.1:9100");
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_EQ(c.schedule_time_zone, "America/New_York");
  EXPECT_EQ(c.writer_batch_size, 7);
  EXPECT_EQ(c.run_lease_ms, 5000);
  EXPECT_EQ(c.max_field_bytes, 1000);
}

TEST(ConfigEnvironmentTest, BadValueNamesTheVariable) {
  EXPECT_EQ(config_error("", {{"JIRASYNC_JIRA_TIMEOUT_MS", "ten"}}).key(),
            "JIRASYNC_JIRA_TIMEOUT_MS");
  EXPECT_EQ(config_error("", {{"JIRASYNC_KAFKA_IDEMPOTENCE", "1"}}).key(),
            "JIRASYNC_KAFKA_IDEMPOTENCE");
}

TEST(ConfigEnvironmentTest, BadBusNamesTheSettingAndTheChoices) {
  const ConfigError e = config_error("", {{"JIRASYNC_BUS", "rabbitmq"}});
  EXPECT_EQ(e.key(), "bus");
  EXPECT_NE(std::string(e.what()).find("must be one of kafka|inprocess, got 'rabbitmq'"),
            std::string::npos);
}

TEST(ConfigEnvironmentTest, BusKindPrintsAsWritten) {
  EXPECT_STREQ(to_string(BusKind::kKafka), "kafka");
  EXPECT_STREQ(to_string(BusKind::kInProcess), "inprocess");
}

TEST(ConfigEnvironmentTest, UnknownVariableInAKnownSectionIsATypo) {
  EXPECT_EQ(config_error("", {{"JIRASYNC_KAFKA_BROKER", "a:1"}}).key(), "JIRASYNC_KAFKA_BROKER");
  // Other JIRASYNC_* names belong to scripts and tests.
  EXPECT_NO_THROW(load_config_from("", {{"JIRASYNC_E2E_KEEP_TMP", "1"}}));
}

TEST(ConfigEnvironmentTest, ProjectsListKeepsYamlSettingsAndAddsDefaults) {
  const Config c =
      load_config_from("projects:\n  - {key: WRKA, strategy: MANUAL}\n  - {key: GONE}\n",
                       {{"JIRASYNC_PROJECTS", " WRKA, NEW1 "}});
  ASSERT_EQ(c.projects.size(), 2u);
  EXPECT_EQ(c.projects[0].key, "WRKA");
  EXPECT_EQ(c.projects[0].strategy, "MANUAL");
  EXPECT_EQ(c.projects[1].key, "NEW1");
  EXPECT_EQ(c.projects[1].strategy, "JIRA_WINS");
  EXPECT_EQ(c.projects[1].incremental_cron, "*/30 * * * *");
}

TEST(ConfigEnvironmentTest, ProjectsListErrors) {
  EXPECT_EQ(config_error("", {{"JIRASYNC_PROJECTS", "A,,B"}}).key(), "JIRASYNC_PROJECTS");
  EXPECT_EQ(config_error("", {{"JIRASYNC_PROJECTS", "A,A"}}).key(), "projects[1].key");
  EXPECT_EQ(config_error("", {{"JIRASYNC_PROJECTS", "a-b"}}).key(), "projects[0].key");
  EXPECT_TRUE(
      load_config_from("projects: [{key: A}]", {{"JIRASYNC_PROJECTS", ""}}).projects.empty());
}

TEST(ConfigEnvironmentTest, KafkaExtraMerges) {
  const Config c = load_config_from("kafka: {extra: {a.b: '1', c: '2'}}",
                                    {{"JIRASYNC_KAFKA_EXTRA", "c=3,sasl.password=p=w"}});
  EXPECT_EQ(c.kafka.extra.at("a.b"), "1");
  EXPECT_EQ(c.kafka.extra.at("c"), "3");
  EXPECT_EQ(c.kafka.extra.at("sasl.password"), "p=w");
  const ConfigError e = config_error("", {{"JIRASYNC_KAFKA_EXTRA", "NoEqualsSecret"}});
  EXPECT_EQ(e.key(), "JIRASYNC_KAFKA_EXTRA");
  EXPECT_EQ(std::string(e.what()).find("NoEqualsSecret"), std::string::npos);
}

TEST(ConfigEnvironmentTest, TokenUnderJirasyncPrefixIsRejected) {
  const ConfigError e = config_error("", {{"JIRASYNC_JIRA_API_TOKEN", "ATATT3xWrongPlace"}});
  EXPECT_EQ(e.key(), "JIRASYNC_JIRA_API_TOKEN");
  EXPECT_EQ(std::string(e.what()).find("ATATT3xWrongPlace"), std::string::npos);
}

}  // namespace
}  // namespace jirasync
