#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"

namespace jirasync {
namespace {

TEST(ConfigYamlTest, EmptyDocumentGivesDefaults) {
  const Config c = load_config_from("", {});
  EXPECT_EQ(c.bus, BusKind::kKafka);
  EXPECT_EQ(c.jira.page_size, 100);
  EXPECT_EQ(c.kafka.topic_prefix, "jirasync.");
  EXPECT_TRUE(c.projects.empty());
}

TEST(ConfigYamlTest, ReadsEverySection) {
  const Config c = load_config_from(R"(
jira:
  base_url: https://acme.atlassian.net/
  email: qa@acme.test
  timeout_ms: 1500
  max_attempts: 7
  backoff_base_ms: 100
  backoff_max_ms: 2000
  page_size: 50
  sweep_page_size: 1000
  rate_per_s: 2.5
  rate_burst: 5
  overlap_ms: 120000
projects:
  - key: WRKA
    strategy: MANUAL
    field_strategy: {summary: LOCAL_WINS, labels: NEWEST_WINS}
    incremental_cron: "*/5 * * * *"
    full_cron: "0 3 * * 0"
  - key: OPS_2
kafka:
  brokers: 127.0.0.1:19092
  topic_prefix: test.
  api_version_request: false
  broker_version_fallback: 0.9.0.1
  session_timeout_ms: 6000
  idempotence: true
  extra: {queue.buffering.max.ms: "5"}
database_url: postgresql://jirasync@127.0.0.1:5433/jirasync
bus: inprocess
schedule_time_zone: Europe/Berlin
log_level: debug
listen: 0.0.0.0:8080
writer: {batch_size: 200, linger_ms: 0}
reconciler: {batch_size: 100, linger_ms: 5}
runs: {max_attempts: 4, lease_ms: 60000}
limits: {max_issue_bytes: 2000000, max_field_bytes: 100000}
)",
                                    {});
  EXPECT_EQ(c.jira.base_url, "https://acme.atlassian.net");  // trailing '/' dropped
  EXPECT_EQ(c.jira.email, "qa@acme.test");
  EXPECT_EQ(c.jira.timeout_ms, 1500);
  EXPECT_EQ(c.jira.max_attempts, 7);
  EXPECT_EQ(c.jira.backoff_base_ms, 100);
  EXPECT_EQ(c.jira.backoff_max_ms, 2000);
  EXPECT_EQ(c.jira.page_size, 50);
  EXPECT_EQ(c.jira.sweep_page_size, 1000);
  EXPECT_DOUBLE_EQ(c.jira.rate_per_s, 2.5);
  EXPECT_DOUBLE_EQ(c.jira.rate_burst, 5);
  EXPECT_EQ(c.jira.overlap_ms, 120000);
  ASSERT_EQ(c.projects.size(), 2u);
  EXPECT_EQ(c.projects[0].key, "WRKA");
  EXPECT_EQ(c.projects[0].strategy, "MANUAL");
  EXPECT_EQ(c.projects[0].field_strategy.at("summary"), "LOCAL_WINS");
  EXPECT_EQ(c.projects[0].field_strategy.at("labels"), "NEWEST_WINS");
  EXPECT_EQ(c.projects[0].incremental_cron, "*/5 * * * *");
  EXPECT_EQ(c.projects[0].full_cron, "0 3 * * 0");
  EXPECT_EQ(c.projects[1].key, "OPS_2");
  EXPECT_EQ(c.projects[1].strategy, "JIRA_WINS");
  EXPECT_EQ(c.kafka.brokers, "127.0.0.1:19092");
  EXPECT_EQ(c.kafka.topic_prefix, "test.");
  EXPECT_EQ(c.kafka.api_version_request, "false");
  EXPECT_EQ(c.kafka.broker_version_fallback, "0.9.0.1");
  EXPECT_EQ(c.kafka.session_timeout_ms, 6000);
  EXPECT_TRUE(c.kafka.idempotence);
  EXPECT_EQ(c.kafka.extra.at("queue.buffering.max.ms"), "5");
  EXPECT_EQ(c.database_url, "postgresql://jirasync@127.0.0.1:5433/jirasync");
  EXPECT_EQ(c.bus, BusKind::kInProcess);
  EXPECT_EQ(c.schedule_time_zone, "Europe/Berlin");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.writer_batch_size, 200);
  EXPECT_EQ(c.writer_linger_ms, 0);
  EXPECT_EQ(c.reconciler_batch_size, 100);
  EXPECT_EQ(c.reconciler_linger_ms, 5);
  EXPECT_EQ(c.max_run_attempts, 4);
  EXPECT_EQ(c.run_lease_ms, 60000);
  EXPECT_EQ(c.max_issue_bytes, 2000000);
  EXPECT_EQ(c.max_field_bytes, 100000);
}

TEST(ConfigYamlTest, ExampleFileInRepositoryLoads) {
  // The process environment is left out so the test does not depend on the shell.
  const Config c =
      load_config_from(read_config_file(JIRASYNC_SOURCE_DIR "/config/jirasync.example.yaml"), {});
  EXPECT_FALSE(c.projects.empty());
  EXPECT_FALSE(c.jira.base_url.empty());
}

TEST(ConfigYamlTest, MissingFileNamesThePath) {
  try {
    load_config("/nonexistent/jirasync.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "file");
    EXPECT_NE(std::string(e.what()).find("/nonexistent/jirasync.yaml"), std::string::npos);
  }
}

TEST(ConfigYamlTest, DirectoryIsNotAConfigFile) {
  try {
    load_config(JIRASYNC_SOURCE_DIR "/config");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "file");
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST(ConfigYamlTest, UnknownKeysAreRejectedWithTheirPath) {
  EXPECT_EQ(config_error("jira:\n  bse_url: https://x.atlassian.net\n").key(), "jira.bse_url");
  EXPECT_EQ(config_error("databse_url: sqlite:x.db\n").key(), "databse_url");
  EXPECT_EQ(config_error("kafka:\n  broker: a:9092\n").key(), "kafka.broker");
  EXPECT_EQ(config_error("writer:\n  batch: 3\n").key(), "writer.batch");
  EXPECT_EQ(config_error("projects:\n  - key: A\n    stratgy: MANUAL\n").key(),
            "projects[0].stratgy");
  const std::string message = config_error("jira:\n  bse_url: x\n").what();
  EXPECT_NE(message.find("base_url"), std::string::npos) << message;  // suggests the known keys
}

TEST(ConfigYamlTest, RepeatedKeyIsRejected) {
  EXPECT_EQ(config_error("jira:\n  page_size: 10\n  page_size: 20\n").key(), "jira.page_size");
}

TEST(ConfigYamlTest, WrongTypesAreRejected) {
  EXPECT_EQ(config_error("jira:\n  timeout_ms: soon\n").key(), "jira.timeout_ms");
  EXPECT_EQ(config_error("jira:\n  timeout_ms: 1.5\n").key(), "jira.timeout_ms");
  EXPECT_EQ(config_error("jira:\n  timeout_ms: 99999999999\n").key(), "jira.timeout_ms");
  EXPECT_EQ(config_error("jira:\n  rate_per_s: fast\n").key(), "jira.rate_per_s");
  EXPECT_EQ(config_error("kafka:\n  idempotence: yes please\n").key(), "kafka.idempotence");
  EXPECT_EQ(config_error("jira: https://x\n").key(), "jira");
  EXPECT_EQ(config_error("projects: WRKA\n").key(), "projects");
  EXPECT_EQ(config_error("projects:\n  - WRKA\n").key(), "projects[0]");
  EXPECT_EQ(config_error("bus: [kafka]\n").key(), "bus");
  EXPECT_EQ(config_error("jira:\n  email:\n").key(), "jira.email");
  EXPECT_EQ(config_error("- a\n- b\n").key(), "yaml");
  EXPECT_EQ(config_error("jira: {base_url: [\n").key(), "yaml");
}

TEST(ConfigYamlTest, ProjectWithoutKeyIsRejected) {
  EXPECT_EQ(config_error("projects:\n  - strategy: MANUAL\n").key(), "projects[0].key");
}

TEST(ConfigYamlTest, ApiTokenInFileIsRejectedWithoutEchoingIt) {
  const ConfigError e = config_error(
      "jira:\n  base_url: https://x.atlassian.net\n  api_token: ATATT3xFfGF0SecretInFile\n");
  EXPECT_EQ(e.key(), "jira.api_token");
  EXPECT_STREQ(e.what(),
               "config jira.api_token: secrets are read only from JIRA_API_TOKEN or "
               "JIRA_API_TOKEN_FILE");
}

TEST(ConfigYamlTest, DatabasePasswordInFileIsRejectedWithoutEchoingIt) {
  const ConfigError e = config_error("database_url: postgresql://app:Hunter2Secret@db/jira\n");
  EXPECT_EQ(e.key(), "database_url");
  EXPECT_EQ(std::string(e.what()).find("Hunter2Secret"), std::string::npos);
  EXPECT_EQ(config_error("database_password: x\n").key(), "database_password");
}

TEST(ConfigYamlTest, KafkaSecretPropertyInFileIsRejected) {
  const ConfigError e = config_error("kafka:\n  extra: {sasl.password: KafkaSecret1}\n");
  EXPECT_EQ(e.key(), "kafka.extra.sasl.password");
  EXPECT_EQ(std::string(e.what()).find("KafkaSecret1"), std::string::npos);
}

// A private key is a secret wherever it is pasted: under a librdkafka
// property meant for it, or as the value of any other key.
TEST(ConfigYamlTest, PemPrivateKeyInFileIsRejectedWithoutEchoingIt) {
  const std::string pem =
      "-----BEGIN PRIVATE KEY-----\n      MIIEvQIBADANBgkqhkiG9w0PemBody42\n      "
      "-----END PRIVATE KEY-----";
  const ConfigError e = config_error("kafka:\n  extra:\n    ssl.key.pem: \"" + pem + "\"\n");
  EXPECT_EQ(e.key(), "kafka.extra.ssl.key.pem");
  EXPECT_EQ(std::string(e.what()).find("PemBody42"), std::string::npos) << e.what();
  const ConfigError elsewhere =
      config_error("kafka:\n  extra:\n    ssl.certificate.pem: \"" + pem + "\"\n");
  EXPECT_EQ(elsewhere.key(), "kafka.extra.ssl.certificate.pem");
  EXPECT_NE(std::string(elsewhere.what()).find("private key"), std::string::npos)
      << elsewhere.what();
  const ConfigError rsa = config_error(
      "jira:\n  email: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIEPemBody42\n    -----END "
      "RSA PRIVATE KEY-----\n");
  EXPECT_EQ(rsa.key(), "jira.email");
  EXPECT_EQ(std::string(rsa.what()).find("PemBody42"), std::string::npos) << rsa.what();
  EXPECT_EQ(config_error("projects:\n  - key: A\n    strategy: \"" + pem + "\"\n").key(),
            "projects[0].strategy");
}

TEST(ConfigYamlTest, WebhookSecretInFileIsRejectedWithoutEchoingIt) {
  const ConfigError e = config_error("scheduler:\n  webhook_secret: whsec-InTheFile-0042\n");
  EXPECT_EQ(e.key(), "scheduler.webhook_secret");
  EXPECT_STREQ(e.what(),
               "config scheduler.webhook_secret: secrets are read only from "
               "JIRASYNC_WEBHOOK_SECRET or JIRASYNC_WEBHOOK_SECRET_FILE");
  // Refused even when the environment also sets it: the file must not hold it.
  EXPECT_EQ(config_error("scheduler: {webhook_secret: whsec-InTheFile-0042}",
                         {{"JIRASYNC_WEBHOOK_SECRET", "whsec-FromEnv-0042"}})
                .key(),
            "scheduler.webhook_secret");
  const ConfigError top = config_error("webhook_secret: whsec-InTheFile-0042\n");
  EXPECT_EQ(top.key(), "webhook_secret");
  EXPECT_EQ(std::string(top.what()).find("whsec-InTheFile-0042"), std::string::npos);
  EXPECT_NE(std::string(top.what()).find("JIRASYNC_WEBHOOK_SECRET"), std::string::npos);
  EXPECT_EQ(config_error("scheduler: {webhook_secrte: x}").key(), "scheduler.webhook_secrte");
  EXPECT_EQ(config_error("scheduler: whsec-InTheFile-0042").key(), "scheduler");
}

}  // namespace
}  // namespace jirasync
