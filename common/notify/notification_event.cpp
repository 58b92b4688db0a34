#include "common/notify/notification_event.hpp"

#include <cstdint>

#include "common/json/json_writer.hpp"

namespace jirasync {

namespace {
constexpr std::pair<NotificationKind, const char*> kNames[] = {
    {NotificationKind::kRunFailed, "run_failed"},
    {NotificationKind::kRunSucceeded, "run_succeeded"},
    {NotificationKind::kConflict, "conflict"},
    {NotificationKind::kMassDelete, "mass_delete"},
    {NotificationKind::kStaleCache, "stale_cache"},
};
}  // namespace

const char* to_string(NotificationKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<NotificationKind> notification_kind_from(std::string_view text) {
  for (const auto& [k, name] : kNames) {
    if (text == name) return k;
  }
  return std::nullopt;
}

std::string notification_payload(const NotificationEvent& event, int64_t at_ms) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "event", to_string(event.kind));
  write_string(w, "project", event.project);
  write_string(w, "title", event.title);
  write_string(w, "text", event.text);
  write_int64(w, "at_ms", at_ms);
  w.EndObject();
  std::string out = buffer.GetString();
  if (!event.details_json.empty())
    out = out.substr(0, out.size() - 1) + "," + event.details_json + "}";
  return out;
}

}  // namespace jirasync
