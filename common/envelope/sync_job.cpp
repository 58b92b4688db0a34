#include "common/envelope/sync_job.hpp"

#include "common/envelope/envelope_format.hpp"

namespace jirasync {
namespace {

constexpr std::pair<JobKind, const char*> kJobKinds[] = {
    {JobKind::kIncremental, "incremental"},
    {JobKind::kFull, "full"},
    {JobKind::kRefetch, "refetch"},
    {JobKind::kRefresh, "refresh"},
};

}  // namespace

const char* to_string(JobKind kind) {
  return envelope::enum_name(kJobKinds, kind);
}

JobKind job_kind_from_string(const std::string& s) {
  if (auto kind = envelope::enum_from_name(kJobKinds, s)) return *kind;
  throw PayloadError("kind", "unknown job kind " + envelope::quoted(s) + " (" +
                                 envelope::enum_names(kJobKinds) + ")");
}

std::string encode(const SyncJob& job) {
  rapidjson::StringBuffer buffer;
  envelope::JsonWriter w(buffer);
  envelope::begin(w, "sync_job");
  envelope::write_string(w, "run_id", job.run_id);
  envelope::write_string(w, "project", job.project);
  envelope::write_string(w, "kind", to_string(job.kind));
  envelope::write_strings(w, "keys", job.keys);
  envelope::write_int64(w, "since_ms", job.since_ms);
  envelope::write_int64(w, "attempt", job.attempt);
  envelope::write_int64(w, "requested_ms", job.requested_ms);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

SyncJob decode_sync_job(const std::string& json) {
  rapidjson::Document doc;
  envelope::expect_type(envelope::parse(json, doc), "sync_job");
  const envelope::FieldReader r(doc, "");
  SyncJob job;
  job.run_id = r.string("run_id");
  if (job.run_id.empty()) throw PayloadError("run_id", "must not be empty");
  job.project = r.string("project");
  if (job.project.empty()) throw PayloadError("project", "must not be empty");
  job.kind = envelope::read_enum(r, "kind", kJobKinds);
  job.keys = r.strings("keys");
  if (job.kind == JobKind::kRefresh && job.keys.empty()) {
    throw PayloadError("keys", "a refresh job needs at least one issue key");
  }
  job.since_ms = r.int64("since_ms");
  if (job.since_ms < 0) throw PayloadError("since_ms", "must not be negative");
  job.attempt = r.int32("attempt");
  if (job.attempt < 1) throw PayloadError("attempt", "must be at least 1");
  job.requested_ms = r.int64("requested_ms");
  return job;
}

}  // namespace jirasync
