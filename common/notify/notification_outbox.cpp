#include "common/notify/notification_outbox.hpp"

#include "common/store/sql_query.hpp"

namespace jirasync {

NotificationOutbox::NotificationOutbox(std::shared_ptr<Database> db) : db_(std::move(db)) {}

bool NotificationOutbox::enqueue(Database& db, const std::string& sink,
                                 const NotificationEvent& event, int64_t now_ms) {
  return SqlQuery(
             "INSERT INTO notification_outbox (dedupe_key, sink, event_kind, project, payload, "
             "created_ms, next_attempt_ms) VALUES (?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (dedupe_key) DO NOTHING")
             .arg(sink + ":" + event.key)
             .arg(sink)
             .arg(to_string(event.kind))
             .arg(event.project)
             .arg(notification_payload(event, now_ms))
             .arg(now_ms)
             .arg(now_ms)
             .execute(db.session()) == 1;
}

std::vector<OutboxEntry> NotificationOutbox::due(int64_t now_ms, int limit) {
  auto lock = db_->lock();
  std::vector<OutboxEntry> out;
  for (const SqlRow& r :
       SqlQuery("SELECT id, sink, event_kind, project, payload, created_ms, attempts "
                "FROM notification_outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= ? "
                "ORDER BY next_attempt_ms, id LIMIT ?")
           .arg(now_ms)
           .arg(int64_t{limit})
           .fetch(db_->session(), "ittttii")) {
    out.push_back(
        OutboxEntry{r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.i64(5), r.i64(6)});
  }
  return out;
}

void NotificationOutbox::mark_delivered(int64_t id, int64_t now_ms) {
  auto lock = db_->lock();
  SqlQuery(
      "UPDATE notification_outbox SET delivered_ms = ?, attempts = attempts + 1, "
      "next_attempt_ms = NULL, last_error = '' WHERE id = ?")
      .arg(now_ms)
      .arg(id)
      .execute(db_->session());
}

void NotificationOutbox::mark_failed(int64_t id, const std::string& error,
                                     std::optional<int64_t> next_attempt_ms) {
  auto lock = db_->lock();
  SqlQuery(
      "UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_ms = ?, "
      "last_error = ? WHERE id = ?")
      .arg(next_attempt_ms)
      .arg(error)
      .arg(id)
      .execute(db_->session());
}

int64_t NotificationOutbox::prune(int64_t before_ms) {
  auto lock = db_->lock();
  return SqlQuery(
             "DELETE FROM notification_outbox WHERE created_ms < ? AND "
             "(delivered_ms IS NOT NULL OR next_attempt_ms IS NULL)")
      .arg(before_ms)
      .execute(db_->session());
}

}  // namespace jirasync
