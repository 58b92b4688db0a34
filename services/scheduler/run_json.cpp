#include "services/scheduler/run_json.hpp"

#include "common/json/json_writer.hpp"

namespace jirasync {
namespace {

void write_run(JsonWriter& w, const SyncRun& r) {
  w.StartObject();
  write_string(w, "id", r.id);
  write_string(w, "project", r.project);
  write_string(w, "kind", to_string(r.kind));
  write_string(w, "trigger", r.trigger);
  write_string(w, "status", to_string(r.status));
  write_int64(w, "attempt", r.attempt);
  write_int64(w, "created_ms", r.created_ms);
  write_optional_int64(w, "started_ms", r.started_ms);
  write_optional_int64(w, "finished_ms", r.finished_ms);
  write_optional_int64(w, "next_attempt_ms", r.next_attempt_ms);
  write_int64(w, "expected_total", r.expected_total);
  write_int64(w, "emitted", r.emitted);
  write_int64(w, "applied", r.applied);
  write_bool(w, "fetch_complete", r.fetch_complete);
  write_string(w, "error", r.error);
  write_strings(w, "keys", r.keys);
  w.Key("stats");
  w.StartObject();
  const auto& s = r.stats;
  write_int64(w, "api_calls", s.api_calls);
  write_int64(w, "pages", s.pages);
  write_int64(w, "fetched", s.fetched);
  write_int64(w, "created", s.created);
  write_int64(w, "updated", s.updated);
  write_int64(w, "unchanged", s.unchanged);
  write_int64(w, "deleted", s.deleted);
  write_int64(w, "moved", s.moved);
  write_int64(w, "conflicts", s.conflicts);
  write_int64(w, "dead_lettered", s.dead_lettered);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string run_to_json(const SyncRun& run) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_run(w, run);
  return buf.GetString();
}

std::string runs_to_json(const std::vector<SyncRun>& runs) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (const auto& r : runs) write_run(w, r);
  w.EndArray();
  return buf.GetString();
}

}  // namespace jirasync
