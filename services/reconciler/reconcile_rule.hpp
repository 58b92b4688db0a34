#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/model/jira_issue.hpp"
#include "common/store/ticket_records.hpp"
#include "services/reconciler/conflict_policy.hpp"

namespace jirasync {

struct IssueHashes {
  std::string content;      // over every normalised field: equal means nothing to write
  std::string significant;  // over summary, description, type: differs means kSignificant
};

// What the writer must do with one snapshot, given what the cache holds. Pure:
// no I/O, no clock reads (now_ms only caps local edit times from a skewed clock).
//   no cached row (or a deleted one)   -> kInsert
//   content hash equal                 -> kSkip; carrying the issue (a touch)
//                                         when Jira's `updated` is newer
//   Jira `updated` older than cached   -> kSkip (an out-of-order or stale snapshot)
//   key differs                        -> kMove (previous_key = cached key)
//   significant hash differs           -> kSignificant
//   otherwise                          -> kUpdate
// For write decisions, each local edit whose field Jira changed since the last
// sync becomes a ConflictResolution settled by the policy.
Decision decide(const IssueSnapshot& snapshot, const JiraIssue& parsed,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms);

// The same rule with the hashes computed by the caller (decide() above uses
// content_hash/significant_hash).
Decision decide(const IssueSnapshot& snapshot, const JiraIssue& parsed, const IssueHashes& hashes,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms);
// The same, moving `parsed` into the decision instead of copying it (a
// replay's issues are used once).
Decision decide(const IssueSnapshot& snapshot, JiraIssue&& parsed, const IssueHashes& hashes,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms);

// The value of an overridable field as Jira holds it, for comparison and display;
// nullopt for a field that cannot be overridden.
std::optional<std::string> jira_field_value(const JiraIssue& issue, const std::string& field);

}  // namespace jirasync
