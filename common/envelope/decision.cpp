#include "common/envelope/decision.hpp"

#include "common/envelope/envelope_format.hpp"
#include "common/envelope/issue_codec.hpp"

namespace jirasync {
namespace {

constexpr std::pair<DecisionKind, const char*> kDecisionKinds[] = {
    {DecisionKind::kInsert, "insert"},
    {DecisionKind::kUpdate, "update"},
    {DecisionKind::kSignificant, "significant"},
    {DecisionKind::kMove, "move"},
    {DecisionKind::kSkip, "skip"},
    {DecisionKind::kDelete, "delete"},
    {DecisionKind::kReject, "reject"},
    {DecisionKind::kSweepChunk, "sweep_chunk"},
    {DecisionKind::kSweepEnd, "sweep_end"},
};

constexpr std::pair<ConflictStrategy, const char*> kStrategies[] = {
    {ConflictStrategy::kJiraWins, "JIRA_WINS"},
    {ConflictStrategy::kLocalWins, "LOCAL_WINS"},
    {ConflictStrategy::kNewestWins, "NEWEST_WINS"},
    {ConflictStrategy::kManual, "MANUAL"},
};

bool carries_issue(DecisionKind kind) {
  return kind == DecisionKind::kInsert || kind == DecisionKind::kUpdate ||
         kind == DecisionKind::kSignificant || kind == DecisionKind::kMove;
}

void write_conflicts(envelope::JsonWriter& w, const std::vector<ConflictResolution>& conflicts) {
  w.Key("conflicts");
  w.StartArray();
  for (const ConflictResolution& c : conflicts) {
    w.StartObject();
    envelope::write_string(w, "field", c.field);
    envelope::write_string(w, "local_value", c.local_value);
    envelope::write_string(w, "jira_value", c.jira_value);
    envelope::write_string(w, "strategy", to_string(c.strategy));
    envelope::write_string(w, "outcome", c.outcome);
    w.EndObject();
  }
  w.EndArray();
}

std::vector<ConflictResolution> read_conflicts(const envelope::FieldReader& r) {
  const rapidjson::Value& list = r.array("conflicts");
  std::vector<ConflictResolution> out;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const envelope::FieldReader c(list[i], "conflicts[" + std::to_string(i) + "]");
    ConflictResolution resolution;
    resolution.field = c.string("field");
    resolution.local_value = c.string("local_value");
    resolution.jira_value = c.string("jira_value");
    resolution.strategy = envelope::read_enum(c, "strategy", kStrategies);
    resolution.outcome = c.string("outcome");
    out.push_back(std::move(resolution));
  }
  return out;
}

}  // namespace

const char* to_string(DecisionKind kind) {
  return envelope::enum_name(kDecisionKinds, kind);
}

DecisionKind decision_kind_from_string(const std::string& s) {
  if (auto kind = envelope::enum_from_name(kDecisionKinds, s)) return *kind;
  throw PayloadError("kind", "unknown decision kind " + envelope::quoted(s) + " (" +
                                 envelope::enum_names(kDecisionKinds) + ")");
}

const char* to_string(ConflictStrategy s) {
  return envelope::enum_name(kStrategies, s);
}

ConflictStrategy conflict_strategy_from_string(const std::string& s) {
  if (auto strategy = envelope::enum_from_name(kStrategies, s)) return *strategy;
  throw PayloadError("strategy", "unknown conflict strategy " + envelope::quoted(s) + " (" +
                                     envelope::enum_names(kStrategies) + ")");
}

std::string encode(const Decision& d) {
  rapidjson::StringBuffer buffer;
  envelope::JsonWriter w(buffer);
  envelope::begin(w, "decision");
  envelope::write_string(w, "run_id", d.run_id);
  envelope::write_string(w, "project", d.project);
  envelope::write_string(w, "kind", to_string(d.kind));
  envelope::write_string(w, "issue_id", d.issue_id);
  envelope::write_string(w, "item_key", d.item_key);
  w.Key("issue");
  if (d.issue) {
    write_issue(w, *d.issue);
  } else {
    w.Null();
  }
  envelope::write_string(w, "content_hash", d.content_hash);
  envelope::write_string(w, "significant_hash", d.significant_hash);
  envelope::write_string(w, "previous_key", d.previous_key);
  write_conflicts(w, d.conflicts);
  envelope::write_strings(w, "issue_ids", d.issue_ids);
  if (d.out_of_scope) envelope::write_bool(w, "out_of_scope", true);
  envelope::write_int64(w, "sweep_chunks", d.sweep_chunks);
  envelope::write_int64(w, "sweep_started_ms", d.sweep_started_ms);
  envelope::write_string(w, "reason", d.reason);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Decision decode_decision(const std::string& json) {
  rapidjson::Document doc;
  envelope::expect_type(envelope::parse(json, doc), "decision");
  const envelope::FieldReader r(doc, "");
  Decision d;
  d.run_id = r.string("run_id");
  d.project = r.string("project");
  d.kind = envelope::read_enum(r, "kind", kDecisionKinds);
  d.issue_id = r.string("issue_id");
  d.item_key = r.string("item_key");
  if (const rapidjson::Value* issue = r.optional("issue"))
    d.issue = issue_from_json(*issue, "issue");
  if (carries_issue(d.kind) && !d.issue) {
    throw PayloadError("issue", std::string("required for a ") + to_string(d.kind) + " decision");
  }
  d.content_hash = r.string("content_hash");
  d.significant_hash = r.string("significant_hash");
  d.previous_key = r.string("previous_key");
  d.conflicts = read_conflicts(r);
  d.issue_ids = r.strings("issue_ids");
  d.out_of_scope = r.optional("out_of_scope") && r.boolean("out_of_scope");
  d.sweep_chunks = r.int32("sweep_chunks");
  if (d.sweep_chunks < 0) throw PayloadError("sweep_chunks", "must not be negative");
  d.sweep_started_ms = r.int64("sweep_started_ms");
  d.reason = r.string("reason");
  return d;
}

}  // namespace jirasync
