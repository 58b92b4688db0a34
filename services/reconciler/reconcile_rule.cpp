#include "services/reconciler/reconcile_rule.hpp"

#include <algorithm>
#include <utility>

#include "common/hash/content_hash.hpp"

namespace jirasync {

namespace {

std::string joined_sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ",";
    out += v;
  }
  return out;
}

// Compared on the stable identity (accountId, canonical ADF) so that a renamed
// user or a re-rendered description is not mistaken for a change.
std::optional<std::string> comparable_value(const JiraIssue& issue, const std::string& field) {
  if (field == "assignee") return issue.assignee ? issue.assignee->account_id : std::string();
  if (field == "description") return issue.description_adf;
  return jira_field_value(issue, field);
}

std::string resolve_outcome(ConflictStrategy strategy, const LocalEdit& edit,
                            const JiraIssue& parsed, int64_t now_ms) {
  switch (strategy) {
    case ConflictStrategy::kJiraWins:
      return "jira";
    case ConflictStrategy::kLocalWins:
      return "local";
    case ConflictStrategy::kManual:
      return "manual";
    case ConflictStrategy::kNewestWins: {
      // An edit stamped in the future (skewed clock) counts as made now; a tie goes to Jira.
      const int64_t edited = std::min(edit.edited_ms, now_ms);
      return edited > parsed.updated_ms ? "local" : "jira";
    }
  }
  return "jira";
}

std::vector<ConflictResolution> resolve_conflicts(const JiraIssue& synced, const JiraIssue& parsed,
                                                  const std::vector<LocalEdit>& edits,
                                                  const ConflictPolicy& policy, int64_t now_ms) {
  std::vector<ConflictResolution> out;
  for (const auto& edit : edits) {
    auto before = comparable_value(synced, edit.field);
    auto after = comparable_value(parsed, edit.field);
    // Unknown fields cannot be overridden; a local edit Jira left alone is no conflict.
    if (!before || !after || *before == *after) continue;
    ConflictResolution r;
    r.field = edit.field;
    r.local_value = edit.value;
    r.jira_value = jira_field_value(parsed, edit.field).value_or("");
    r.strategy = policy.for_field(edit.field);
    r.outcome = resolve_outcome(r.strategy, edit, parsed, now_ms);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::optional<std::string> jira_field_value(const JiraIssue& issue, const std::string& field) {
  if (field == "summary") return issue.summary;
  if (field == "status") return issue.status;
  if (field == "priority") return issue.priority.value_or("");
  if (field == "assignee") {
    if (!issue.assignee) return std::string();
    return issue.assignee->display_name.empty() ? issue.assignee->account_id
                                                : issue.assignee->display_name;
  }
  if (field == "labels") return joined_sorted(issue.labels);
  if (field == "description") return issue.description_text;
  return std::nullopt;
}

Decision decide(const IssueSnapshot& snapshot, const JiraIssue& parsed,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms) {
  IssueHashes hashes{content_hash(parsed), significant_hash(parsed)};
  return decide(snapshot, parsed, hashes, cached, edits, policy, now_ms);
}

namespace {

// Issue: const JiraIssue& (copied into the decision) or JiraIssue (moved).
template <typename Issue>
Decision decide_rule(const IssueSnapshot& snapshot, Issue&& parsed, const IssueHashes& hashes,
                     const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                     const ConflictPolicy& policy, int64_t now_ms) {
  Decision d;
  d.run_id = snapshot.run_id;
  d.project = snapshot.project;
  d.issue_id = parsed.id;
  // One item per delivered version: a newer snapshot of the issue in the same
  // run counts (and applies); a redelivery of this one does not.
  d.item_key = parsed.id + "@" + std::to_string(parsed.updated_ms);
  d.content_hash = hashes.content;
  d.significant_hash = hashes.significant;

  if (!cached || cached->deleted) {
    // A deleted row that Jira shows again comes back as new.
    d.kind = DecisionKind::kInsert;
  } else if (cached->content_hash == hashes.content) {
    d.kind = DecisionKind::kSkip;
    // A touch: Jira's `updated` moved (a comment, a watcher) but nothing the
    // cache keeps did. The issue rides along so the writer can advance the
    // cached `updated` and last-synced time, with no history row.
    if (parsed.updated_ms > cached->updated_ms) d.issue = std::forward<Issue>(parsed);
  } else if (parsed.updated_ms < cached->updated_ms) {
    d.kind = DecisionKind::kSkip;
  } else if (parsed.key != cached->key) {
    d.kind = DecisionKind::kMove;
    d.previous_key = cached->key;
  } else if (cached->significant_hash != hashes.significant) {
    d.kind = DecisionKind::kSignificant;
  } else {
    d.kind = DecisionKind::kUpdate;
  }

  if (d.kind != DecisionKind::kSkip) {
    if (cached && !cached->deleted) {
      d.conflicts = resolve_conflicts(cached->issue, parsed, edits, policy, now_ms);
    }
    d.issue = std::forward<Issue>(parsed);  // last: it may be moved
  }
  return d;
}

}  // namespace

Decision decide(const IssueSnapshot& snapshot, const JiraIssue& parsed, const IssueHashes& hashes,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms) {
  return decide_rule(snapshot, parsed, hashes, cached, edits, policy, now_ms);
}

Decision decide(const IssueSnapshot& snapshot, JiraIssue&& parsed, const IssueHashes& hashes,
                const std::optional<CachedTicket>& cached, const std::vector<LocalEdit>& edits,
                const ConflictPolicy& policy, int64_t now_ms) {
  return decide_rule(snapshot, std::move(parsed), hashes, cached, edits, policy, now_ms);
}

}  // namespace jirasync
