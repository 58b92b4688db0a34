#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/model/jira_issue.hpp"

namespace jirasync {

enum class DecisionKind {
  kInsert,       // new to the cache
  kUpdate,       // content changed, insignificant fields only
  kSignificant,  // summary, description or type changed
  kMove,         // same id, new key (may also change content)
  kSkip,         // content hash unchanged: counted, nothing written
  kDelete,       // gone from Jira (by id list: sweep deletions)
  kReject,       // failed validation; went to dead letter; counted on the run
  kSweepChunk,   // ids seen by the sweep; the writer records them
  kSweepEnd,     // the sweep completed; the writer deletes what it did not see
};

const char* to_string(DecisionKind kind);  // "insert", "update", ..., "sweep_chunk", "sweep_end"
DecisionKind decision_kind_from_string(const std::string& s);  // throws PayloadError("kind", ...)

enum class ConflictStrategy { kJiraWins, kLocalWins, kNewestWins, kManual };
const char* to_string(ConflictStrategy s);
ConflictStrategy conflict_strategy_from_string(const std::string& s);  // throws PayloadError

// How one local override met a Jira change.
struct ConflictResolution {
  std::string field;
  std::string local_value;
  std::string jira_value;
  ConflictStrategy strategy = ConflictStrategy::kJiraWins;
  // "jira" (local edit dropped), "local" (local edit kept), "manual" (left open)
  std::string outcome;
  bool operator==(const ConflictResolution&) const = default;
};

// What the writer must apply. Topic `issues.decided`, key = Jira issue id
// (sweep decisions: "sweep:" + project).
struct Decision {
  std::string run_id;
  std::string project;
  DecisionKind kind = DecisionKind::kSkip;
  std::string issue_id;
  std::string
      item_key;  // unique within the run; counts the item once (issue id, "sweep:N", "sweep-end")
  std::optional<JiraIssue> issue;  // insert/update/significant/move
  std::string content_hash;
  std::string significant_hash;
  std::string previous_key;  // move
  std::vector<ConflictResolution> conflicts;
  std::vector<std::string> issue_ids;  // sweep chunk
  bool out_of_scope = false;           // sweep chunk: SweepChunk::out_of_scope
  int sweep_chunks = 0;                // sweep end
  int64_t sweep_started_ms = 0;        // sweep end
  std::string reason;                  // reject
  bool operator==(const Decision&) const = default;
};

std::string encode(const Decision& d);
Decision decode_decision(const std::string& json);  // throws PayloadError

}  // namespace jirasync
