#pragma once

#include <string>

#include "common/notify/notification_sink.hpp"

namespace jirasync {

// A Slack-compatible incoming webhook body: `text` (the fallback) and one
// section block in mrkdwn, with Slack's &, < and > escaped.
std::string slack_message(const OutboxEntry& entry);

// POSTs slack_message() to an incoming-webhook URL (the URL is the secret).
class SlackSink final : public NotificationSink {
 public:
  SlackSink(std::string name, std::string url, int timeout_ms);
  const std::string& name() const override { return name_; }
  void deliver(const OutboxEntry& entry) override;

 private:
  std::string name_;
  std::string url_;
  int timeout_ms_;
};

}  // namespace jirasync
