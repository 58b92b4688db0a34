#include "common/notify/notification_service.hpp"

#include <spdlog/spdlog.h>

#include "common/notify/notification_sinks.hpp"

namespace jirasync {

NotificationService::NotificationService(const Config& config, std::shared_ptr<Database> db,
                                         Clock& clock)
    : outbox_(db),
      watch_(db, notification_rules(config)),
      dispatcher_(outbox_, &watch_, notification_sinks(config), delivery_policy(config), clock) {}

std::unique_ptr<NotificationService> NotificationService::start(const Config& config,
                                                                std::shared_ptr<Database> db,
                                                                Clock& clock, int64_t interval_ms) {
  if (config.notifications.sinks.empty()) return nullptr;
  std::unique_ptr<NotificationService> service(
      new NotificationService(config, std::move(db), clock));
  // The first scan sets the marks now: what ends after start() is announced
  // even if the thread's first round comes late.
  service->watch_.scan(clock.now_ms());
  NotificationService* self = service.get();
  service->thread_ =
      std::thread([self, interval_ms] { self->dispatcher_.run(self->stop_, interval_ms); });
  spdlog::info("notifications: {} sink(s)", config.notifications.sinks.size());
  return service;
}

NotificationService::~NotificationService() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  // One last round: what the last moments of a `run --once` caused is
  // enqueued and tried now (and, if its sink fails, kept for the next start).
  try {
    dispatcher_.tick();
  } catch (const std::exception& e) {
    spdlog::error("notifications: {}", e.what());
  }
}

}  // namespace jirasync
