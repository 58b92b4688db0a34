#include "common/notify/notification_dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace jirasync {

namespace {
constexpr int kBatch = 50;
constexpr int64_t kPruneEveryMs = 3600000;
}  // namespace

NotificationDispatcher::NotificationDispatcher(NotificationOutbox& outbox, NotificationWatch* watch,
                                               std::vector<std::unique_ptr<NotificationSink>> sinks,
                                               DeliveryPolicy policy, Clock& clock)
    : outbox_(outbox), watch_(watch), sinks_(std::move(sinks)), policy_(policy), clock_(clock) {}

NotificationDispatcher::TickResult NotificationDispatcher::tick() {
  TickResult result;
  if (watch_) result.enqueued = watch_->scan(clock_.now_ms());
  for (const OutboxEntry& entry : outbox_.due(clock_.now_ms(), kBatch)) {
    auto sink = std::find_if(sinks_.begin(), sinks_.end(),
                             [&](const auto& s) { return s->name() == entry.sink; });
    std::string error;
    if (sink == sinks_.end()) {
      // A sink removed from the config: kept until its max age, in case it returns.
      error = "no sink named " + entry.sink + " is configured";
    } else {
      try {
        (*sink)->deliver(entry);
        outbox_.mark_delivered(entry.id, clock_.now_ms());
        ++result.delivered;
        continue;
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    ++result.failed;
    const auto next =
        policy_.next_attempt_ms(entry.attempts + 1, entry.created_ms, clock_.now_ms());
    outbox_.mark_failed(entry.id, error, next);
    if (next) {
      spdlog::warn("notification {} ({}) not delivered, retrying: {}", entry.id, entry.event_kind,
                   error);
    } else {
      spdlog::error("notification {} ({}) given up after {} attempts: {}", entry.id,
                    entry.event_kind, entry.attempts + 1, error);
    }
  }
  if (clock_.now_ms() - last_prune_ms_ >= kPruneEveryMs) {
    last_prune_ms_ = clock_.now_ms();
    outbox_.prune(clock_.now_ms() - 2 * policy_.max_age_ms);
  }
  return result;
}

void NotificationDispatcher::run(const std::atomic<bool>& stop, int64_t interval_ms) {
  while (!stop) {
    try {
      tick();
    } catch (const std::exception& e) {
      spdlog::error("notifications: {}", e.what());
    }
    // Short naps, so stopping never waits a whole interval.
    for (int64_t slept = 0; slept < interval_ms && !stop; slept += 100) {
      clock_.sleep_ms(std::min<int64_t>(100, interval_ms - slept));
    }
  }
}

}  // namespace jirasync
