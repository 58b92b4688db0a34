#pragma once

#include <string>
#include <vector>

#include "common/notify/notification_sink.hpp"

namespace jirasync {

struct SmtpSettings {
  std::string host;
  int port = 25;
  std::string starttls = "auto";  // auto (when offered) | required | off
  std::string from;
  std::vector<std::string> to;
  int timeout_ms = 10000;  // the whole conversation
};

// The message text (headers, blank line, body; CRLF lines, dot-stuffed for
// DATA, without the final ".").
std::string smtp_message(const SmtpSettings& settings, const OutboxEntry& entry, int64_t now_ms);

// Mails each notification through a relay that takes plain SMTP (no AUTH):
// EHLO, STARTTLS when offered (verified against the system trust store) or
// required, MAIL FROM, RCPT TO each, DATA. Any reply outside 2xx/3xx as
// expected throws DeliveryError with the relay's code.
class SmtpSink final : public NotificationSink {
 public:
  SmtpSink(std::string name, SmtpSettings settings);
  const std::string& name() const override { return name_; }
  void deliver(const OutboxEntry& entry) override;

 private:
  std::string name_;
  SmtpSettings settings_;
};

}  // namespace jirasync
