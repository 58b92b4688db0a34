#include "services/scheduler/run_json.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace jirasync {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_run(Writer& w, const SyncRun& r) {
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  auto num = [&](const char* k, int64_t v) {
    w.Key(k);
    w.Int64(v);
  };
  auto opt = [&](const char* k, const std::optional<int64_t>& v) {
    w.Key(k);
    if (v)
      w.Int64(*v);
    else
      w.Null();
  };
  w.StartObject();
  str("id", r.id);
  str("project", r.project);
  str("kind", to_string(r.kind));
  str("trigger", r.trigger);
  str("status", to_string(r.status));
  num("attempt", r.attempt);
  num("created_ms", r.created_ms);
  opt("started_ms", r.started_ms);
  opt("finished_ms", r.finished_ms);
  opt("next_attempt_ms", r.next_attempt_ms);
  num("expected_total", r.expected_total);
  num("emitted", r.emitted);
  num("applied", r.applied);
  w.Key("fetch_complete");
  w.Bool(r.fetch_complete);
  str("error", r.error);
  w.Key("keys");
  w.StartArray();
  for (const auto& k : r.keys) w.String(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
  w.EndArray();
  w.Key("stats");
  w.StartObject();
  const auto& s = r.stats;
  num("api_calls", s.api_calls);
  num("pages", s.pages);
  num("fetched", s.fetched);
  num("created", s.created);
  num("updated", s.updated);
  num("unchanged", s.unchanged);
  num("deleted", s.deleted);
  num("moved", s.moved);
  num("conflicts", s.conflicts);
  num("dead_lettered", s.dead_lettered);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string run_to_json(const SyncRun& run) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  write_run(w, run);
  return buf.GetString();
}

std::string runs_to_json(const std::vector<SyncRun>& runs) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartArray();
  for (const auto& r : runs) write_run(w, r);
  w.EndArray();
  return buf.GetString();
}

}  // namespace jirasync
