#pragma once

// Builders shared by the store tests.

#include <string>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/store/sync_run.hpp"

namespace jirasync::testing {

inline SyncRun queued_run(const std::string& id, const std::string& project, int64_t now_ms,
                          JobKind kind = JobKind::kIncremental) {
  SyncRun run;
  run.id = id;
  run.project = project;
  run.kind = kind;
  run.trigger = "manual";
  run.created_ms = now_ms;
  return run;
}

inline JiraIssue issue(const std::string& id, const std::string& key, int64_t updated_ms,
                       const std::string& summary = "Login fails") {
  JiraIssue i;
  i.id = id;
  i.key = key;
  i.project_key = key.substr(0, key.find('-'));
  i.project_id = "10000";
  i.issue_type = "Bug";
  i.status = "To Do";
  i.status_category = "new";
  i.priority = "High";
  i.assignee = JiraUser{"acc-1", "Ada Lovelace"};
  i.reporter = JiraUser{"acc-2", "Grace Hopper"};
  i.labels = {"qa", "login"};
  i.components = {"web"};
  i.created_ms = 1'000;
  i.updated_ms = updated_ms;
  i.summary = summary;
  i.description_adf = R"({"type":"doc","version":1,"content":[]})";
  i.description_text = "";
  i.custom_fields = {{"customfield_10001", R"({"value":"Gold"})"}, {"customfield_10002", "3"}};
  return i;
}

// Hash stand-in: the store compares hashes, it never computes them.
inline std::string hash_of(const JiraIssue& i) {
  return "h:" + i.key + ":" + i.summary + ":" + i.status + ":" + std::to_string(i.updated_ms);
}

inline Decision snapshot(const std::string& run_id, const JiraIssue& i,
                         DecisionKind kind = DecisionKind::kInsert) {
  Decision d;
  d.run_id = run_id;
  d.project = i.project_key;
  d.kind = kind;
  d.issue_id = i.id;
  d.item_key = i.id;
  d.issue = i;
  d.content_hash = hash_of(i);
  d.significant_hash = "s:" + i.summary;
  return d;
}

inline Decision plain(const std::string& run_id, DecisionKind kind, const std::string& item_key) {
  Decision d;
  d.run_id = run_id;
  d.project = "WRKA";
  d.kind = kind;
  d.issue_id = item_key;
  d.item_key = item_key;
  return d;
}

inline Decision sweep_chunk(const std::string& run_id, int seq, std::vector<std::string> ids) {
  Decision d = plain(run_id, DecisionKind::kSweepChunk, "sweep:" + std::to_string(seq));
  d.issue_id = "sweep:WRKA";
  d.issue_ids = std::move(ids);
  return d;
}

inline Decision sweep_end(const std::string& run_id, int chunks, int64_t started_ms) {
  Decision d = plain(run_id, DecisionKind::kSweepEnd, "sweep-end");
  d.issue_id = "sweep:WRKA";
  d.sweep_chunks = chunks;
  d.sweep_started_ms = started_ms;
  return d;
}

}  // namespace jirasync::testing
