#include "common/notify/notification_sinks.hpp"

#include "common/notify/slack_sink.hpp"
#include "common/notify/smtp_sink.hpp"
#include "common/notify/webhook_sink.hpp"

namespace jirasync {

std::vector<std::unique_ptr<NotificationSink>> notification_sinks(const Config& config) {
  std::vector<std::unique_ptr<NotificationSink>> out;
  for (const NotificationSinkSettings& s : config.notifications.sinks) {
    if (s.type == "webhook") {
      out.push_back(std::make_unique<WebhookSink>(s.name, s.url, s.secret, s.timeout_ms));
    } else if (s.type == "slack") {
      out.push_back(std::make_unique<SlackSink>(s.name, s.url, s.timeout_ms));
    } else {
      out.push_back(
          std::make_unique<SmtpSink>(s.name, SmtpSettings{s.smtp_host, s.smtp_port, s.starttls,
                                                          s.mail_from, s.mail_to, s.timeout_ms}));
    }
  }
  return out;
}

WatchRules notification_rules(const Config& config) {
  WatchRules rules;
  const NotificationSettings& n = config.notifications;
  for (const NotificationSinkSettings& s : n.sinks) {
    SinkRoute route{s.name, {}};
    for (const std::string& e : s.events.empty() ? n.events : s.events) {
      if (auto kind = notification_kind_from(e)) route.kinds.insert(*kind);
    }
    rules.routes.push_back(std::move(route));
  }
  rules.conflict_jql = n.conflict_jql;
  rules.jql_context.account_id = config.jira.account_id;
  rules.jql_context.time_zone = config.jira.account_time_zone;
  rules.stale_factor = n.stale_factor;
  for (const ProjectSettings& p : config.projects) rules.cache_ttl_ms[p.key] = p.cache_ttl_ms;
  return rules;
}

DeliveryPolicy delivery_policy(const Config& config) {
  DeliveryPolicy policy;
  policy.base_ms = config.notifications.retry_base_ms;
  policy.max_age_ms = config.notifications.max_age_ms;
  return policy;
}

}  // namespace jirasync
