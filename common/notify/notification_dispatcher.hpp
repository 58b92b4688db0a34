#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "common/clock/clock.hpp"
#include "common/notify/delivery_policy.hpp"
#include "common/notify/notification_outbox.hpp"
#include "common/notify/notification_sink.hpp"
#include "common/notify/notification_watch.hpp"

namespace jirasync {

// The delivery loop, on a thread and a database connection of its own (so a
// slow or failing sink never holds up a role): each tick the watch enqueues
// new events, then every due outbox entry goes to its sink; a failure is
// retried on the policy's schedule and given up after its max age. Runs in
// jirasync-scheduler and in the embedded `jirasync run`.
class NotificationDispatcher {
 public:
  NotificationDispatcher(NotificationOutbox& outbox, NotificationWatch* watch,
                         std::vector<std::unique_ptr<NotificationSink>> sinks,
                         DeliveryPolicy policy, Clock& clock);

  struct TickResult {
    int enqueued = 0;
    int delivered = 0;
    int failed = 0;
  };
  TickResult tick();
  // Ticks every `interval_ms` until `stop`; errors of a tick are logged and
  // the loop goes on.
  void run(const std::atomic<bool>& stop, int64_t interval_ms = 1000);

 private:
  NotificationOutbox& outbox_;
  NotificationWatch* watch_;
  std::vector<std::unique_ptr<NotificationSink>> sinks_;
  DeliveryPolicy policy_;
  Clock& clock_;
  int64_t last_prune_ms_ = 0;
};

}  // namespace jirasync
