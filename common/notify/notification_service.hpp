#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/notify/notification_dispatcher.hpp"
#include "common/store/database.hpp"

namespace jirasync {

// The delivery loop of a process on its own thread, from the config: what
// jirasync-scheduler and the embedded `jirasync run` start. Stops and joins
// when destroyed.
class NotificationService {
 public:
  // nullptr when no sink is configured. `db` should be a connection of its
  // own (a slow sink then never holds another role's connection).
  static std::unique_ptr<NotificationService> start(const Config& config,
                                                    std::shared_ptr<Database> db, Clock& clock,
                                                    int64_t interval_ms = 1000);
  ~NotificationService();

 private:
  NotificationService(const Config& config, std::shared_ptr<Database> db, Clock& clock);

  NotificationOutbox outbox_;
  NotificationWatch watch_;
  NotificationDispatcher dispatcher_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace jirasync
