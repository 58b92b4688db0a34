#include "common/envelope/raw_record.hpp"

#include "common/envelope/envelope_format.hpp"
#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

using envelope::JsonWriter;

void write_fields(JsonWriter& w, const IssueSnapshot& s) {
  envelope::begin(w, "issue_snapshot");
  envelope::write_string(w, "run_id", s.run_id);
  envelope::write_string(w, "project", s.project);
  envelope::write_string(w, "issue_id", s.issue_id);
  envelope::write_string(w, "key", s.key);
  envelope::write_int64(w, "updated_ms", s.updated_ms);
  envelope::write_int64(w, "fetched_ms", s.fetched_ms);
  if (!s.unreadable.empty()) envelope::write_string(w, "unreadable", s.unreadable);
  // "issue" follows, embedded as Jira sent it (see encode): the reconciler
  // parses envelope and issue in one pass.
}

void write_fields(JsonWriter& w, const SweepChunk& c) {
  envelope::begin(w, "sweep_chunk");
  envelope::write_string(w, "run_id", c.run_id);
  envelope::write_string(w, "project", c.project);
  envelope::write_int64(w, "seq", c.seq);
  envelope::write_strings(w, "issue_ids", c.issue_ids);
  if (c.out_of_scope) envelope::write_bool(w, "out_of_scope", true);
}

void write_fields(JsonWriter& w, const SweepEnd& e) {
  envelope::begin(w, "sweep_end");
  envelope::write_string(w, "run_id", e.run_id);
  envelope::write_string(w, "project", e.project);
  envelope::write_int64(w, "chunks", e.chunks);
  envelope::write_int64(w, "total_ids", e.total_ids);
  envelope::write_int64(w, "started_ms", e.started_ms);
}

void write_fields(JsonWriter& w, const IssueGone& g) {
  envelope::begin(w, "issue_gone");
  envelope::write_string(w, "run_id", g.run_id);
  envelope::write_string(w, "project", g.project);
  envelope::write_string(w, "issue_id", g.issue_id);
}

void require_non_negative(int64_t value, const char* field) {
  if (value < 0) throw PayloadError(field, "must not be negative");
}

// Everything but the issue itself.
IssueSnapshot read_snapshot_head(const envelope::FieldReader& r) {
  IssueSnapshot s;
  s.run_id = r.string("run_id");
  s.project = r.string("project");
  s.issue_id = r.string("issue_id");
  s.key = r.string("key");
  s.updated_ms = r.int64("updated_ms");
  s.fetched_ms = r.int64("fetched_ms");
  s.unreadable = r.optional_string("unreadable").value_or("");
  return s;
}

// Schema 1 carried the issue as an escaped string; 2 embeds the value.
IssueSnapshot read_snapshot(const rapidjson::Document& doc, const envelope::FieldReader& r) {
  IssueSnapshot s = read_snapshot_head(r);
  if (envelope::schema_of(doc) == 1) {
    s.issue_json = r.string("issue_json");
  } else {
    // null is how encode writes "no issue" (an unreadable one).
    const rapidjson::Value& issue = r.required("issue");
    if (!issue.IsNull()) s.issue_json = compact_json(issue);
  }
  return s;
}

SweepChunk read_chunk(const envelope::FieldReader& r) {
  SweepChunk c;
  c.run_id = r.string("run_id");
  c.project = r.string("project");
  c.seq = r.int32("seq");
  require_non_negative(c.seq, "seq");
  c.issue_ids = r.strings("issue_ids");
  c.out_of_scope = r.optional("out_of_scope") && r.boolean("out_of_scope");
  return c;
}

SweepEnd read_end(const envelope::FieldReader& r) {
  SweepEnd e;
  e.run_id = r.string("run_id");
  e.project = r.string("project");
  e.chunks = r.int32("chunks");
  require_non_negative(e.chunks, "chunks");
  e.total_ids = r.int64("total_ids");
  require_non_negative(e.total_ids, "total_ids");
  e.started_ms = r.int64("started_ms");
  return e;
}

IssueGone read_gone(const envelope::FieldReader& r) {
  IssueGone g;
  g.run_id = r.string("run_id");
  g.project = r.string("project");
  g.issue_id = r.string("issue_id");
  if (g.issue_id.empty()) throw PayloadError("issue_id", "must not be empty");
  return g;
}

[[noreturn]] void not_raw(const std::string& type) {
  if (type == "sync_job" || type == "decision") {
    throw PayloadError(
        "type", "expected issue_snapshot, sweep_chunk, sweep_end or issue_gone, got " + type);
  }
  envelope::unknown_type(type);
}

}  // namespace

std::string encode(const RawRecord& record) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  std::visit([&w](const auto& r) { write_fields(w, r); }, record);
  w.EndObject();
  std::string out(buffer.GetString(), buffer.GetSize());
  if (const auto* s = std::get_if<IssueSnapshot>(&record)) {
    // Spliced in after the writer: the issue is already JSON, and copying
    // it whole is a tenth of the per-byte RawValue cost.
    out.pop_back();
    out.reserve(out.size() + s->issue_json.size() + 12);
    out += R"(,"issue":)";
    out += s->issue_json.empty() ? std::string_view("null") : std::string_view(s->issue_json);
    out += '}';
  }
  return out;
}

RawRecord decode_raw_record(const std::string& json) {
  rapidjson::Document doc;
  const std::string type = envelope::parse(json, doc);
  const envelope::FieldReader r(doc, "");
  if (type == "issue_snapshot") return read_snapshot(doc, r);
  if (type == "sweep_chunk") return read_chunk(r);
  if (type == "sweep_end") return read_end(r);
  if (type == "issue_gone") return read_gone(r);
  not_raw(type);
}

ParsedRawRecord parse_raw_record(const std::string& json, rapidjson::Document& doc) {
  // The issue is untrusted: bounded nesting, iterative, UTF-8 checked, in
  // the same pass as the envelope. The document is read and dropped by the
  // caller: its strings can stay in one copy of the text.
  parse_json_text(json, doc, "json", envelope::kMaxEnvelopeDepth, JsonNumbers::kFast,
                  JsonStrings::kInOneBuffer);
  const std::string type = envelope::check_head(doc);
  const envelope::FieldReader r(doc, "");
  if (type == "sweep_chunk") return {read_chunk(r), nullptr};
  if (type == "sweep_end") return {read_end(r), nullptr};
  if (type == "issue_gone") return {read_gone(r), nullptr};
  if (type != "issue_snapshot") not_raw(type);
  IssueSnapshot s = read_snapshot_head(r);
  if (envelope::schema_of(doc) == 1) {
    // The fields are copied out; the document can now hold the issue instead.
    const std::string legacy = r.string("issue_json");
    parse_json_text(legacy, doc, "issue_json", kMaxJsonDepth, JsonNumbers::kFast,
                    JsonStrings::kInOneBuffer);
    return {std::move(s), &doc};
  }
  const rapidjson::Value* issue = &r.required("issue");
  return {std::move(s), issue};
}

}  // namespace jirasync
