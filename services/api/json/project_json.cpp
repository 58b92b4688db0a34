#include "services/api/json/project_json.hpp"

#include "services/api/json/run_json.hpp"

namespace jirasync {

std::optional<int64_t> last_success_ms(const std::vector<SyncRun>& newest_first) {
  for (const SyncRun& run : newest_first) {
    if (run.status == RunStatus::kSuccess && run.finished_ms && run.kind != JobKind::kRefresh)
      return *run.finished_ms;
  }
  return std::nullopt;
}

void write_project_status_members(JsonWriter& w, const ProjectSettings& project, int64_t tickets,
                                  const std::vector<SyncRun>& newest_first, int64_t cursor_ms,
                                  int64_t now_ms) {
  const std::optional<int64_t> last_success = last_success_ms(newest_first);
  write_string(w, "key", project.key);
  write_int64(w, "tickets", tickets);
  write_int64(w, "ttl_ms", project.cache_ttl_ms);
  write_optional_int64(w, "last_success_ms", last_success);
  write_optional_int64(
      w, "age_ms", last_success ? std::optional<int64_t>(now_ms - *last_success) : std::nullopt);
  write_bool(w, "stale", !last_success || now_ms - *last_success > project.cache_ttl_ms);
  write_int64(w, "cursor_ms", cursor_ms);
  w.Key("last_run");
  if (newest_first.empty()) {
    w.Null();
  } else {
    write_api_run(w, newest_first.front());
  }
}

}  // namespace jirasync
