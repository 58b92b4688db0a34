#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/notify/notification_event.hpp"
#include "common/store/database.hpp"

namespace jirasync {

// One notification for one sink, as stored in notification_outbox.
struct OutboxEntry {
  int64_t id = 0;
  std::string sink;
  std::string event_kind;
  std::string project;
  std::string payload;  // the JSON body (notification_payload)
  int64_t created_ms = 0;
  int64_t attempts = 0;
};

// The durable outbox (migration 9): at-least-once delivery per (sink, event
// key), retried on the DeliveryPolicy's schedule.
class NotificationOutbox {
 public:
  explicit NotificationOutbox(std::shared_ptr<Database> db);

  // Inside the caller's transaction (holding db's lock): stores the event for
  // `sink` unless that sink already has it. True when stored now.
  static bool enqueue(Database& db, const std::string& sink, const NotificationEvent& event,
                      int64_t now_ms);

  // Undelivered entries due by now, oldest first.
  std::vector<OutboxEntry> due(int64_t now_ms, int limit);
  void mark_delivered(int64_t id, int64_t now_ms);
  // A failed attempt: tried again at `next_attempt_ms`, or given up (nullopt).
  // `error` is kept (never a secret: the sinks word it).
  void mark_failed(int64_t id, const std::string& error, std::optional<int64_t> next_attempt_ms);
  // Forgets entries created before `before_ms` that are delivered or given up.
  int64_t prune(int64_t before_ms);

  Database& database() { return *db_; }

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
