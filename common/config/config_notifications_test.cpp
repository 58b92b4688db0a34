// The notifications section: sinks, events, the safety stop and secrets from
// the environment only.
#include <gtest/gtest.h>

#include "common/config/config.hpp"
#include "common/config/config_test_support.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

constexpr const char* kFull = R"(
notifications:
  events: [run_failed, run_succeeded, mass_delete]
  conflict_jql: 'priority in (Highest, High)'
  mass_delete_share: 0.2
  stale_factor: 4
  max_age: 2h
  retry_base: 1s
  sinks:
    - name: ops
      type: webhook
      url: https://hooks.example.com/jirasync
    - name: chat
      type: slack
      events: run_failed
    - name: mail
      type: smtp
      host: relay.example.com
      port: 2525
      starttls: required
      from: jirasync@example.com
      to: [ops@example.com, qa@example.com]
)";

TEST(ConfigNotificationsTest, ReadsEverySettingAndTakesSecretsFromTheEnvironment) {
  const Config c =
      load_config_from(kFull, {{"JIRASYNC_NOTIFY_OPS_SECRET", "hmac-key-1"},
                               {"JIRASYNC_NOTIFY_CHAT_URL", "https://hooks.slack.test/T1/B2/xyz"}});
  const NotificationSettings& n = c.notifications;
  EXPECT_EQ(n.events, (std::vector<std::string>{"run_failed", "run_succeeded", "mass_delete"}));
  EXPECT_EQ(n.conflict_jql, "priority in (Highest, High)");
  EXPECT_DOUBLE_EQ(n.mass_delete_share, 0.2);
  EXPECT_DOUBLE_EQ(n.stale_factor, 4);
  EXPECT_EQ(n.max_age_ms, 7200000);
  EXPECT_EQ(n.retry_base_ms, 1000);
  ASSERT_EQ(n.sinks.size(), 3u);
  EXPECT_EQ(n.sinks[0].secret, "hmac-key-1");
  EXPECT_EQ(n.sinks[1].url, "https://hooks.slack.test/T1/B2/xyz");
  EXPECT_EQ(n.sinks[1].events, std::vector<std::string>{"run_failed"});
  EXPECT_EQ(n.sinks[2].smtp_port, 2525);
  EXPECT_EQ(n.sinks[2].mail_to.size(), 2u);
  // Neither secret may reach a log line.
  EXPECT_EQ(redact("key hmac-key-1 url https://hooks.slack.test/T1/B2/xyz").find("hmac-key-1"),
            std::string::npos);
  EXPECT_EQ(redact("url https://hooks.slack.test/T1/B2/xyz").find("T1/B2/xyz"), std::string::npos);
}

TEST(ConfigNotificationsTest, DefaultsNotifyNothingAndHoldNoSweep) {
  const Config c = load_config_from("", {});
  EXPECT_TRUE(c.notifications.sinks.empty());
  EXPECT_DOUBLE_EQ(c.notifications.mass_delete_share, 1.0);
}

TEST(ConfigNotificationsTest, ASecretInTheFileIsRefused) {
  const ConfigError e = config_error(
      "notifications:\n  sinks:\n    - {name: ops, type: webhook, url: 'https://x.test', "
      "secret: abc}\n");
  EXPECT_EQ(e.key(), "notifications.sinks[0].secret");
  EXPECT_NE(std::string(e.what()).find("JIRASYNC_NOTIFY_"), std::string::npos) << e.what();
}

TEST(ConfigNotificationsTest, BadValuesNameTheirKey) {
  EXPECT_EQ(config_error("notifications:\n  events: [run_failed, oops]\n").key(),
            "notifications.events[1]");
  EXPECT_EQ(config_error("notifications:\n  mass_delete_share: 1.5\n").key(),
            "notifications.mass_delete_share");
  EXPECT_EQ(config_error("notifications:\n  stale_factor: 0.5\n").key(),
            "notifications.stale_factor");
  EXPECT_EQ(config_error("notifications:\n  colour: red\n").key(), "notifications.colour");
  EXPECT_EQ(config_error("notifications:\n  sinks:\n    - {name: a, type: pager}\n").key(),
            "notifications.sinks[0].type");
  EXPECT_EQ(config_error("notifications:\n  sinks:\n    - {name: a, type: webhook, url: "
                         "'http://example.com/x'}\n")
                .key(),
            "notifications.sinks[0].url");
  EXPECT_EQ(config_error("notifications:\n  sinks:\n    - {name: a, type: slack}\n").key(),
            "notifications.sinks[0].url");
  EXPECT_EQ(config_error("notifications:\n  sinks:\n    - {name: a, type: smtp, host: h, from: "
                         "x@y.z, to: ['bad address']}\n")
                .key(),
            "notifications.sinks[0].to[0]");
  EXPECT_EQ(config_error("notifications:\n  sinks:\n    - {name: a, type: slack, url: "
                         "'https://a.test'}\n    - {name: a, type: slack, url: 'https://b.test'}\n")
                .key(),
            "notifications.sinks[1].name");
}

}  // namespace
}  // namespace jirasync
