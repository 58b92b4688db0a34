#include "services/api/json/run_json.hpp"

#include "common/log/secret_redactor.hpp"

namespace jirasync {

void write_api_run(JsonWriter& w, const SyncRun& run) {
  w.StartObject();
  write_string(w, "id", run.id);
  write_string(w, "project", run.project);
  write_string(w, "kind", to_string(run.kind));
  write_string(w, "status", to_string(run.status));
  write_string(w, "trigger", run.trigger);
  // Known once the fetch completes; until then `fetched` says how far it got.
  write_int64(w, "emitted", run.emitted);
  write_int64(w, "applied", run.applied);
  write_int64(w, "fetched", run.stats.fetched);
  write_bool(w, "fetch_complete", run.fetch_complete);
  write_int64(w, "expected_total", run.expected_total);
  write_int64(w, "created_ms", run.created_ms);
  write_optional_int64(w, "started_ms", run.started_ms);
  write_optional_int64(w, "finished_ms", run.finished_ms);
  write_string(w, "error", redact(run.error));  // a failed run's text may quote a token
  w.EndObject();
}

std::string api_run_json(const SyncRun& run) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_api_run(w, run);
  return std::string(buffer.GetString(), buffer.GetSize());
}

void write_started_runs(JsonWriter& w, const std::vector<SyncRequests::Started>& started) {
  w.Key("runs");
  w.StartArray();
  for (const auto& run : started) {
    w.StartObject();
    write_string(w, "run_id", run.run_id);
    write_string(w, "project", run.project);
    write_bool(w, "started", run.started);
    w.EndObject();
  }
  w.EndArray();
}

bool run_is_finished(const SyncRun& run) {
  return run.status == RunStatus::kSuccess || run.status == RunStatus::kFailed;
}

}  // namespace jirasync
