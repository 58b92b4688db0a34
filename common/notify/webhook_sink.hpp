#pragma once

#include <string>

#include "common/notify/notification_sink.hpp"

namespace jirasync {

// `sha256=<hex HMAC-SHA256 of body keyed with secret>`, the
// X-Jirasync-Signature value (the receiver recomputes it over the raw body).
std::string notification_signature(const std::string& secret, const std::string& body);

// POSTs the payload as it is, signed with X-Jirasync-Signature when a secret
// is configured, plus X-Jirasync-Event and X-Jirasync-Delivery (the outbox id:
// the same on a retry, so a receiver can drop a repeat).
class WebhookSink final : public NotificationSink {
 public:
  WebhookSink(std::string name, std::string url, std::string secret, int timeout_ms);
  const std::string& name() const override { return name_; }
  void deliver(const OutboxEntry& entry) override;

 private:
  std::string name_;
  std::string url_;
  std::string secret_;
  int timeout_ms_;
};

}  // namespace jirasync
