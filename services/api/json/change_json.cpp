#include "services/api/json/change_json.hpp"

#include "common/time/since_time.hpp"
#include "services/api/json/cache_json.hpp"

namespace jirasync {
namespace {

constexpr int64_t kDayMs = 86'400'000;

}  // namespace

int64_t feed_since_ms(ChangeFeed& changes, int64_t now_ms, const std::optional<std::string>& since,
                      const std::optional<std::string>& viewer) {
  if (since) return parse_since(*since, now_ms);
  if (viewer) {
    if (const auto look = changes.last_look(*viewer)) return *look;
  }
  return now_ms - kDayMs;
}

void write_feed_entry(JsonWriter& w, const FeedEntry& e) {
  w.StartObject();
  write_string(w, "key", e.key);
  write_string(w, "id", e.ticket_id);
  write_string(w, "project", e.project);
  write_string(w, "summary", e.summary);
  write_string(w, "status", e.status);
  write_string(w, "badge", to_string(e.badge));
  write_int64(w, "changed_ms", e.changed_ms);
  write_int64(w, "changes", e.changes);
  w.Key("detail");
  write_stored_json(w, e.detail.empty() ? "{}" : e.detail);
  w.EndObject();
}

}  // namespace jirasync
