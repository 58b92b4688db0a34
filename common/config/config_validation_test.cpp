#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"

namespace jirasync {
namespace {

std::string jira_url(const std::string& url) {
  return "jira: {base_url: '" + url + "'}\n";
}

TEST(ConfigValidationTest, HttpsBaseUrlAccepted) {
  EXPECT_EQ(load_config_from(jira_url("https://acme.atlassian.net:443/"), {}).jira.base_url,
            "https://acme.atlassian.net:443");
}

TEST(ConfigValidationTest, PlainHttpOnlyToLoopback) {
  for (const char* ok : {"http://127.0.0.1:8089", "http://127.5.6.7", "http://localhost:1/",
                         "http://LOCALHOST", "http://[::1]:8089"}) {
    EXPECT_NO_THROW(load_config_from(jira_url(ok), {})) << ok;
  }
  for (const char* bad :
       {"http://acme.atlassian.net", "http://10.0.0.1:80", "http://127.0.0.1.evil.io",
        "http://localhost.evil.io", "http://128.0.0.1", "http://[::2]:80", "http://127.0.0.256"}) {
    EXPECT_EQ(config_error(jira_url(bad)).key(), "jira.base_url") << bad;
  }
}

TEST(ConfigValidationTest, MalformedBaseUrlsRejected) {
  for (const char* bad : {"ftp://acme", "acme.atlassian.net", "https://", "https://:443",
                          "https://acme:99999", "https://user:pw@acme.atlassian.net"}) {
    const ConfigError e = config_error(jira_url(bad));
    EXPECT_EQ(e.key(), "jira.base_url") << bad;
  }
  EXPECT_EQ(std::string(config_error(jira_url("https://u:SecretInUrl9@a.net")).what())
                .find("SecretInUrl9"),
            std::string::npos);
}

TEST(ConfigValidationTest, NonPositiveSizesRejected) {
  const std::pair<const char*, const char*> cases[] = {
      {"jira: {timeout_ms: 0}", "jira.timeout_ms"},
      {"jira: {max_attempts: 0}", "jira.max_attempts"},
      {"jira: {backoff_base_ms: -1}", "jira.backoff_base_ms"},
      {"jira: {backoff_base_ms: 500, backoff_max_ms: 100}", "jira.backoff_max_ms"},
      {"jira: {page_size: 0}", "jira.page_size"},
      {"jira: {sweep_page_size: 0}", "jira.sweep_page_size"},
      {"jira: {sweep_page_size: 5001}", "jira.sweep_page_size"},
      {"jira: {rate_per_s: -1}", "jira.rate_per_s"},
      {"jira: {rate_burst: 0.5}", "jira.rate_burst"},
      {"jira: {concurrency: 0}", "jira.concurrency"},
      {"jira: {concurrency: 65}", "jira.concurrency"},
      {"jira: {overlap_ms: -1}", "jira.overlap_ms"},
      {"kafka: {session_timeout_ms: 0}", "kafka.session_timeout_ms"},
      {"writer: {batch_size: 0}", "writer.batch_size"},
      {"writer: {linger_ms: -5}", "writer.linger_ms"},
      {"reconciler: {batch_size: 0}", "reconciler.batch_size"},
      {"reconciler: {linger_ms: -1}", "reconciler.linger_ms"},
      {"runs: {max_attempts: 0}", "runs.max_attempts"},
      {"runs: {lease_ms: 0}", "runs.lease_ms"},
      {"limits: {max_issue_bytes: 0}", "limits.max_issue_bytes"},
      {"limits: {max_field_bytes: -3}", "limits.max_field_bytes"},
      {"limits: {max_issue_bytes: 10, max_field_bytes: 11}", "limits.max_field_bytes"},
  };
  for (const auto& [yaml, key] : cases) {
    EXPECT_EQ(config_error(yaml).key(), key) << yaml;
  }
  EXPECT_NE(std::string(config_error("jira: {page_size: -4}").what()).find("-4"),
            std::string::npos);
}

TEST(ConfigValidationTest, BadEnumsRejected) {
  EXPECT_EQ(config_error("bus: rabbitmq").key(), "bus");
  EXPECT_EQ(config_error("log_level: loud").key(), "log_level");
  EXPECT_EQ(config_error("projects: [{key: A, strategy: JIRA_WIN}]").key(), "projects[0].strategy");
  EXPECT_EQ(config_error("projects: [{key: A, field_strategy: {summary: ME}}]").key(),
            "projects[0].field_strategy.summary");
  EXPECT_EQ(config_error("kafka: {api_version_request: maybe}").key(), "kafka.api_version_request");
  EXPECT_EQ(config_error("kafka: {broker_version_fallback: latest}").key(),
            "kafka.broker_version_fallback");
  EXPECT_NE(std::string(config_error("bus: rabbitmq").what()).find("kafka|inprocess"),
            std::string::npos);
}

TEST(ConfigValidationTest, DuplicateProjectKeysRejected) {
  const ConfigError e = config_error("projects: [{key: WRKA}, {key: OPS}, {key: WRKA}]");
  EXPECT_EQ(e.key(), "projects[2].key");
  EXPECT_NE(std::string(e.what()).find("WRKA"), std::string::npos);
}

TEST(ConfigValidationTest, ProjectKeyShapeChecked) {
  EXPECT_EQ(config_error("projects: [{key: ''}]").key(), "projects[0].key");
  EXPECT_EQ(config_error("projects: [{key: wrka}]").key(), "projects[0].key");
  EXPECT_EQ(config_error("projects: [{key: '1AB'}]").key(), "projects[0].key");
  EXPECT_EQ(config_error("projects: [{key: 'A OR project = B'}]").key(), "projects[0].key");
}

TEST(ConfigValidationTest, CronNeedsFiveFields) {
  EXPECT_EQ(config_error("projects: [{key: A, incremental_cron: '*/5 * * *'}]").key(),
            "projects[0].incremental_cron");
  EXPECT_EQ(config_error("projects: [{key: A, full_cron: '0 0 6 * * *'}]").key(),
            "projects[0].full_cron");
  EXPECT_NO_THROW(load_config_from("projects: [{key: A, full_cron: ' 0  6 * *  1-5 '}]", {}));
}

// Jira's search returns at most 100 issues per page when fields are asked
// for and 5000 when only ids are (maxResults in the platform OpenAPI spec).
TEST(ConfigValidationTest, PageSizesWithinJirasLimits) {
  const ConfigError e = config_error("jira: {page_size: 100000}");
  EXPECT_EQ(e.key(), "jira.page_size");
  EXPECT_NE(std::string(e.what()).find("between 1 and 100"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("100000"), std::string::npos) << e.what();
  EXPECT_EQ(config_error("jira: {page_size: 101}").key(), "jira.page_size");
  EXPECT_NO_THROW(load_config_from("jira: {page_size: 100}", {}));
  const ConfigError sweep = config_error("jira: {sweep_page_size: 5001}");
  EXPECT_NE(std::string(sweep.what()).find("between 1 and 5000"), std::string::npos)
      << sweep.what();
  EXPECT_NO_THROW(load_config_from("jira: {sweep_page_size: 5000}", {}));
}

TEST(ConfigValidationTest, FieldStrategyNamesAnOverridableField) {
  const ConfigError e = config_error("projects: [{key: A, field_strategy: {sumary: LOCAL_WINS}}]");
  EXPECT_EQ(e.key(), "projects[0].field_strategy.sumary");
  EXPECT_NE(std::string(e.what()).find("summary|status|priority|assignee|labels|description"),
            std::string::npos)
      << e.what();
  EXPECT_NO_THROW(load_config_from(
      "projects: [{key: A, field_strategy: {summary: MANUAL, status: MANUAL, priority: MANUAL, "
      "assignee: MANUAL, labels: MANUAL, description: MANUAL}}]",
      {}));
}

// The shape only: the scheduler's cron parser reads the values (and
// `jirasync check` runs it on every project's schedules).
TEST(ConfigValidationTest, CronShorthandsAndNamesAccepted) {
  EXPECT_NO_THROW(load_config_from(
      "projects: [{key: A, incremental_cron: '0 9 * * MON-FRI', full_cron: '@daily'}]", {}));
  EXPECT_NO_THROW(load_config_from("projects: [{key: A, incremental_cron: '@hourly'}]", {}));
  const ConfigError e = config_error("projects: [{key: A, full_cron: '@fortnightly'}]");
  EXPECT_EQ(e.key(), "projects[0].full_cron");
  EXPECT_NE(std::string(e.what()).find("@daily"), std::string::npos) << e.what();
  EXPECT_EQ(config_error("projects: [{key: A, full_cron: '@daily 0'}]").key(),
            "projects[0].full_cron");
}

TEST(ConfigValidationTest, OtherShapesChecked) {
  EXPECT_EQ(config_error("database_url: mysql://x/y").key(), "database_url");
  EXPECT_EQ(config_error("database_url: 'sqlite:'").key(), "database_url");
  // The same parser as the store: a URL that cannot connect is refused up front.
  EXPECT_EQ(config_error("database_url: postgresql://u@h:70000/d").key(), "database_url");
  EXPECT_NE(
      std::string(config_error("database_url: postgresql://u@h").what()).find("database name"),
      std::string::npos);
  EXPECT_EQ(config_error("listen: localhost").key(), "listen");
  EXPECT_EQ(config_error("listen: ':80'").key(), "listen");
  EXPECT_EQ(config_error("listen: 'a:70000'").key(), "listen");
  EXPECT_NO_THROW(load_config_from("listen: '[::1]:0'", {}));
  EXPECT_EQ(config_error("kafka: {brokers: ''}").key(), "kafka.brokers");
  EXPECT_EQ(config_error("kafka: {topic_prefix: 'a b'}").key(), "kafka.topic_prefix");
  EXPECT_EQ(config_error("schedule_time_zone: ''").key(), "schedule_time_zone");
}

TEST(ConfigValidationTest, HttpListenerSettings) {
  const Config defaults = load_config_from("", {});
  EXPECT_EQ(defaults.http.max_connections, 256);
  EXPECT_EQ(defaults.http.idle_timeout_ms, 30000);
  const Config set = load_config_from("http: {max_connections: 64, idle_timeout_ms: 5000}\n",
                                      {{"JIRASYNC_HTTP_IDLE_TIMEOUT_MS", "2000"}});
  EXPECT_EQ(set.http.max_connections, 64);
  EXPECT_EQ(set.http.idle_timeout_ms, 2000);
  EXPECT_EQ(config_error("http: {max_connections: 0}\n").key(), "http.max_connections");
  EXPECT_EQ(config_error("http: {idle_timeout_ms: -1}\n").key(), "http.idle_timeout_ms");
  EXPECT_EQ(config_error("http: {idle_timeout: 5}\n").key(), "http.idle_timeout");
}

}  // namespace
}  // namespace jirasync
