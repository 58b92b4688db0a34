#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"
#include "common/log/base64.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

constexpr const char* kToken = "ATATT3xFfGF0ConfigTestToken-9QwErTy_UiOp.AsDf1234";

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/jirasync_secret_XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << content;
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const std::string kJira = "jira: {base_url: https://acme.atlassian.net, email: qa@acme.test}\n";

TEST(ConfigSecretsTest, TokenFromEnvironment) {
  const Config c = load_config_from(kJira, {{"JIRA_API_TOKEN", kToken}});
  EXPECT_EQ(c.jira.api_token, kToken);
}

TEST(ConfigSecretsTest, TokenFromFileWithTrailingNewlineStripped) {
  TempFile file(std::string(kToken) + "\n");
  const Config c = load_config_from(kJira, {{"JIRA_API_TOKEN_FILE", file.path()}});
  EXPECT_EQ(c.jira.api_token, kToken);
}

TEST(ConfigSecretsTest, TokenErrorsNeverEchoTheToken) {
  const ConfigError both =
      config_error(kJira, {{"JIRA_API_TOKEN", kToken}, {"JIRA_API_TOKEN_FILE", "/x"}});
  EXPECT_EQ(both.key(), "JIRA_API_TOKEN");
  EXPECT_EQ(std::string(both.what()).find(kToken), std::string::npos);

  EXPECT_EQ(config_error(kJira, {{"JIRA_API_TOKEN_FILE", "/nonexistent/token"}}).key(),
            "JIRA_API_TOKEN_FILE");
  TempFile empty("\n");
  EXPECT_EQ(config_error(kJira, {{"JIRA_API_TOKEN_FILE", empty.path()}}).key(),
            "JIRA_API_TOKEN_FILE");
  TempFile two_lines(std::string(kToken) + "\ninjected: header\n");
  const ConfigError injected = config_error(kJira, {{"JIRA_API_TOKEN_FILE", two_lines.path()}});
  EXPECT_EQ(injected.key(), "JIRA_API_TOKEN_FILE");
  EXPECT_EQ(std::string(injected.what()).find(kToken), std::string::npos);
  EXPECT_EQ(config_error(kJira, {{"JIRA_API_TOKEN", "has space"}}).key(), "JIRA_API_TOKEN");
}

TEST(ConfigSecretsTest, TokenNeedsEmail) {
  EXPECT_EQ(
      config_error("jira: {base_url: https://a.atlassian.net}", {{"JIRA_API_TOKEN", kToken}}).key(),
      "jira.email");
}

TEST(ConfigSecretsTest, LoadingRegistersSecretsWithTheRedactor) {
  load_config_from(kJira, {{"JIRA_API_TOKEN", kToken}});
  const std::string basic = base64_encode(std::string("qa@acme.test:") + kToken);
  const std::string out = redact(std::string("t=") + kToken + " b=" + basic);
  EXPECT_EQ(out.find(kToken), std::string::npos) << out;
  EXPECT_EQ(out.find(basic), std::string::npos) << out;
}

TEST(ConfigSecretsTest, DatabasePasswordIsMergedPercentEncoded) {
  const Config c = load_config_from(
      "database_url: postgresql://jirasync@127.0.0.1:5433/jirasync?sslmode=disable",
      {{"JIRASYNC_DATABASE_PASSWORD", "p@ss:w/rd"}});
  EXPECT_EQ(c.database_url,
            "postgresql://jirasync:p%40ss%3Aw%2Frd@127.0.0.1:5433/jirasync?sslmode=disable");
  EXPECT_EQ(c.database_password, "p@ss:w/rd");
  EXPECT_EQ(redact(c.database_url).find("p%40ss%3Aw%2Frd"), std::string::npos);
}

TEST(ConfigSecretsTest, DatabasePasswordFromFile) {
  TempFile file("DbFilePass0042\r\n");
  const Config c = load_config_from("database_url: postgres://app@db/jira",
                                    {{"JIRASYNC_DATABASE_PASSWORD_FILE", file.path()}});
  EXPECT_EQ(c.database_url, "postgres://app:DbFilePass0042@db/jira");
}

TEST(ConfigSecretsTest, DatabasePasswordErrors) {
  const Env password = {{"JIRASYNC_DATABASE_PASSWORD", "DbSecret0042"}};
  const ConfigError sqlite = config_error("database_url: sqlite:x.db", password);
  EXPECT_EQ(sqlite.key(), "JIRASYNC_DATABASE_PASSWORD");
  EXPECT_EQ(std::string(sqlite.what()).find("DbSecret0042"), std::string::npos);
  EXPECT_EQ(config_error("database_url: postgresql://db/jira", password).key(), "database_url");
  Env twice = password;
  twice["JIRASYNC_DATABASE_URL"] = "postgresql://app:Other0042@db/jira";
  const ConfigError e = config_error("", twice);
  EXPECT_EQ(e.key(), "database_url");
  EXPECT_EQ(std::string(e.what()).find("Other0042"), std::string::npos);
}

TEST(ConfigSecretsTest, PasswordInEnvironmentUrlIsKeptForRedaction) {
  const Config c =
      load_config_from("", {{"JIRASYNC_DATABASE_URL", "postgresql://app:EnvUrlPass0042@db/jira"}});
  EXPECT_EQ(c.database_password, "EnvUrlPass0042");
  EXPECT_EQ(redact("oops EnvUrlPass0042").find("EnvUrlPass0042"), std::string::npos);
}

constexpr const char* kWebhookSecret = "whsec-ConfigTest-Webhook-0042";

TEST(ConfigSecretsTest, WebhookSecretFromEnvironment) {
  EXPECT_EQ(
      load_config_from("", {{"JIRASYNC_WEBHOOK_SECRET", kWebhookSecret}}).scheduler.webhook_secret,
      kWebhookSecret);
  EXPECT_EQ(load_config_from("", {}).scheduler.webhook_secret, "");
}

TEST(ConfigSecretsTest, WebhookSecretFromFileWithTrailingNewlineStripped) {
  TempFile file(std::string(kWebhookSecret) + "\n");
  const Config c = load_config_from("", {{"JIRASYNC_WEBHOOK_SECRET_FILE", file.path()}});
  EXPECT_EQ(c.scheduler.webhook_secret, kWebhookSecret);
}

TEST(ConfigSecretsTest, WebhookSecretErrorsNameTheVariableButNeverTheSecret) {
  TempFile two_lines(std::string(kWebhookSecret) + "\ninjected\n");
  TempFile empty("\r\n");
  const std::pair<Env, const char*> cases[] = {
      {{{"JIRASYNC_WEBHOOK_SECRET", kWebhookSecret}, {"JIRASYNC_WEBHOOK_SECRET_FILE", "/x"}},
       "JIRASYNC_WEBHOOK_SECRET"},
      {{{"JIRASYNC_WEBHOOK_SECRET", std::string(kWebhookSecret) + "\tx"}},
       "JIRASYNC_WEBHOOK_SECRET"},
      {{{"JIRASYNC_WEBHOOK_SECRET", ""}}, "JIRASYNC_WEBHOOK_SECRET"},
      {{{"JIRASYNC_WEBHOOK_SECRET_FILE", two_lines.path()}}, "JIRASYNC_WEBHOOK_SECRET_FILE"},
      {{{"JIRASYNC_WEBHOOK_SECRET_FILE", empty.path()}}, "JIRASYNC_WEBHOOK_SECRET_FILE"},
      {{{"JIRASYNC_WEBHOOK_SECRET_FILE", "/nonexistent/webhook"}}, "JIRASYNC_WEBHOOK_SECRET_FILE"},
      // Under the JIRASYNC_<SECTION>_<KEY> name it is refused, not silently ignored.
      {{{"JIRASYNC_SCHEDULER_WEBHOOK_SECRET", kWebhookSecret}},
       "JIRASYNC_SCHEDULER_WEBHOOK_SECRET"},
      {{{"JIRASYNC_SCHEDULER_WEBHOOK_SECRET_FILE", two_lines.path()}},
       "JIRASYNC_SCHEDULER_WEBHOOK_SECRET_FILE"},
      // Another key's error while the secret is loaded.
      {{{"JIRASYNC_WEBHOOK_SECRET", kWebhookSecret}, {"JIRASYNC_JIRA_TIMEOUT_MS", "0"}},
       "jira.timeout_ms"},
  };
  for (const auto& [env, key] : cases) {
    const ConfigError e = config_error("", env);
    EXPECT_EQ(e.key(), key) << e.what();
    EXPECT_EQ(std::string(e.what()).find(kWebhookSecret), std::string::npos) << e.what();
  }
}

TEST(ConfigSecretsTest, WebhookSecretIsRegisteredWithTheRedactor) {
  const std::string secret = "whsec-Redacted/Only+0042";
  EXPECT_NE(redact("s=" + secret).find(secret), std::string::npos);  // not known yet
  load_config_from("", {{"JIRASYNC_WEBHOOK_SECRET", secret}});
  const std::string out = redact("s=" + secret + " url=whsec-Redacted%2FOnly%2B0042");
  EXPECT_EQ(out.find("whsec-Redacted"), std::string::npos) << out;
}

}  // namespace
}  // namespace jirasync
