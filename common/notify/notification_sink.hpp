#pragma once

#include <set>
#include <stdexcept>
#include <string>

#include "common/notify/notification_event.hpp"
#include "common/notify/notification_outbox.hpp"

namespace jirasync {

// A delivery that did not arrive; tried again later. The message names the
// sink and what failed, never a URL's secret part or a key.
class DeliveryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where notifications go: a webhook, a Slack channel, a mailbox.
class NotificationSink {
 public:
  virtual ~NotificationSink() = default;
  virtual const std::string& name() const = 0;
  // Sends one outbox entry; throws DeliveryError.
  virtual void deliver(const OutboxEntry& entry) = 0;
};

// The title and text of a payload, for sinks that write for people.
struct PayloadText {
  std::string title;
  std::string text;
};
PayloadText payload_text(const std::string& payload);

}  // namespace jirasync
