#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jirasync {

// What a notification is about (docs/operations.md, "Notifications").
enum class NotificationKind { kRunFailed, kRunSucceeded, kConflict, kMassDelete, kStaleCache };

// "run_failed", ... as configured and as sent.
const char* to_string(NotificationKind kind);
std::optional<NotificationKind> notification_kind_from(std::string_view text);

// One event, before it is fanned out to the sinks that want it.
struct NotificationEvent {
  NotificationKind kind = NotificationKind::kRunFailed;
  std::string project;
  // Unique per event (e.g. "run_failed:<run id>"): the outbox stores each
  // (sink, key) once, so finding an event twice sends it once.
  std::string key;
  std::string title;  // one line for people
  std::string text;   // a few lines of detail
  // Extra members of the JSON body, as `"name":value,...` (may be empty).
  std::string details_json;
};

// The JSON body every sink starts from: {"event","project","title","text",
// "at_ms", ...details}.
std::string notification_payload(const NotificationEvent& event, int64_t at_ms);

}  // namespace jirasync
