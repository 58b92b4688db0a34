#include "services/reconciler/reconcile_rule.hpp"

#include <gtest/gtest.h>

#include "common/hash/content_hash.hpp"

namespace jirasync {
namespace {

constexpr int64_t kNow = 1'700'010'000'000;  // after every Jira update below

JiraIssue make_issue() {
  JiraIssue issue;
  issue.id = "10001";
  issue.key = "WRKA-1";
  issue.project_key = "WRKA";
  issue.project_id = "100";
  issue.issue_type = "Task";
  issue.status = "To Do";
  issue.status_category = "new";
  issue.priority = "Medium";
  issue.assignee = JiraUser{"acc-1", "Ada Lovelace"};
  issue.labels = {"backend", "api"};
  issue.created_ms = 1'699'000'000'000;
  issue.updated_ms = 1'700'000'000'000;
  issue.summary = "Login fails";
  issue.description_adf = R"({"content":[],"type":"doc","version":1})";
  issue.description_text = "";
  return issue;
}

IssueSnapshot snapshot_of(const JiraIssue& issue) {
  IssueSnapshot s;
  s.run_id = "run-7";
  s.project = "WRKA";
  s.issue_id = issue.id;
  s.key = issue.key;
  s.updated_ms = issue.updated_ms;
  s.fetched_ms = kNow;
  return s;
}

CachedTicket cached_of(const JiraIssue& issue, const IssueHashes& hashes) {
  CachedTicket c;
  c.id = issue.id;
  c.key = issue.key;
  c.content_hash = hashes.content;
  c.significant_hash = hashes.significant;
  c.updated_ms = issue.updated_ms;
  c.issue = issue;
  return c;
}

LocalEdit edit(const std::string& field, const std::string& value, int64_t edited_ms) {
  return LocalEdit{"10001", field, value, edited_ms};
}

const IssueHashes kOld{"c-old", "s-old"};

// Jira moved the issue on: one hour later, with the given change applied.
JiraIssue changed(void (*change)(JiraIssue&)) {
  JiraIssue issue = make_issue();
  issue.updated_ms += 3'600'000;
  change(issue);
  return issue;
}

TEST(ReconcileRule, NoCachedRowInserts) {
  JiraIssue issue = make_issue();
  Decision d =
      decide(snapshot_of(issue), issue, IssueHashes{"c1", "s1"}, std::nullopt, {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kInsert);
  EXPECT_EQ(d.issue_id, "10001");
  EXPECT_EQ(d.item_key, "10001@1700000000000");
  EXPECT_EQ(d.run_id, "run-7");
  EXPECT_EQ(d.project, "WRKA");
  EXPECT_EQ(d.content_hash, "c1");
  EXPECT_EQ(d.significant_hash, "s1");
  ASSERT_TRUE(d.issue.has_value());
  EXPECT_EQ(*d.issue, issue);
  EXPECT_TRUE(d.conflicts.empty());
}

TEST(ReconcileRule, AMovedIssueDecidesAsACopiedOne) {
  // The replay moves its issues into decide(): every kind, a touch and a
  // conflict must come out as from the copying overload.
  const JiraIssue base = make_issue();
  const IssueHashes now_hashes{"c-new", "s-new"};
  JiraIssue touched = base;
  touched.updated_ms += 1000;
  JiraIssue moved = changed([](JiraIssue& i) { i.key = "WRKB-9"; });
  JiraIssue retitled = changed([](JiraIssue& i) { i.summary = "Jira's title"; });
  CachedTicket deleted = cached_of(base, kOld);
  deleted.deleted = true;
  struct Case {
    JiraIssue issue;
    IssueHashes hashes;
    std::optional<CachedTicket> row;
    std::vector<LocalEdit> edits;
  };
  const std::vector<Case> cases = {
      {base, now_hashes, std::nullopt, {}},              // insert
      {base, kOld, deleted, {}},                         // back from deleted
      {base, kOld, cached_of(base, kOld), {}},           // skip
      {touched, kOld, cached_of(base, kOld), {}},        // touch
      {base, now_hashes, cached_of(touched, kOld), {}},  // stale
      {moved, now_hashes, cached_of(base, kOld), {}},    // move
      {retitled, now_hashes, cached_of(base, kOld), {edit("summary", "Mine", kNow)}},  // conflict
      {retitled, IssueHashes{"c-new", "s-old"}, cached_of(base, kOld), {}},            // update
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Decision copied =
        decide(snapshot_of(c.issue), c.issue, c.hashes, c.row, c.edits, {}, kNow);
    JiraIssue mine = c.issue;
    const Decision moved_in =
        decide(snapshot_of(c.issue), std::move(mine), c.hashes, c.row, c.edits, {}, kNow);
    EXPECT_EQ(moved_in, copied) << "case " << i;
  }
}

TEST(ReconcileRule, DeletedRowComesBackAsInsert) {
  JiraIssue issue = make_issue();
  CachedTicket row = cached_of(issue, kOld);
  row.deleted = true;
  Decision d = decide(snapshot_of(issue), issue, kOld, row, {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kInsert);
}

TEST(ReconcileRule, EqualContentHashSkipsAndRaisesNoConflict) {
  JiraIssue issue = make_issue();
  Decision d = decide(snapshot_of(issue), issue, kOld, cached_of(issue, kOld),
                      {edit("summary", "Mine", kNow)}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kSkip);
  EXPECT_FALSE(d.issue.has_value());
  EXPECT_TRUE(d.conflicts.empty());
}

// Jira's `updated` moved (a comment, a watcher) but nothing the cache keeps
// changed: a touch, so the cached `updated` and last-synced time follow Jira
// without a history row. The skip carries the issue for the writer.
TEST(ReconcileRule, EqualContentHashWithNewerUpdatedIsATouch) {
  JiraIssue issue = make_issue();
  issue.updated_ms += 60'000;
  Decision d = decide(snapshot_of(issue), issue, kOld, cached_of(make_issue(), kOld),
                      {edit("summary", "Mine", kNow)}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kSkip);
  ASSERT_TRUE(d.issue.has_value());
  EXPECT_EQ(d.issue->updated_ms, issue.updated_ms);
  EXPECT_EQ(d.content_hash, kOld.content);
  EXPECT_TRUE(d.conflicts.empty());
}

TEST(ReconcileRule, EqualContentHashWithOlderUpdatedIsAPlainSkip) {
  JiraIssue stale = make_issue();
  stale.updated_ms -= 60'000;
  Decision d = decide(snapshot_of(stale), stale, kOld, cached_of(make_issue(), kOld), {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kSkip);
  EXPECT_FALSE(d.issue.has_value());
}

TEST(ReconcileRule, SnapshotOlderThanCacheSkips) {
  JiraIssue cached_issue = make_issue();
  JiraIssue stale = make_issue();
  stale.updated_ms -= 1;
  stale.summary = "An older title";
  Decision d = decide(snapshot_of(stale), stale, IssueHashes{"c-stale", "s-stale"},
                      cached_of(cached_issue, kOld), {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kSkip);
}

TEST(ReconcileRule, NewKeyIsAMove) {
  JiraIssue moved = changed([](JiraIssue& i) {
    i.key = "WRKB-9";
    i.project_key = "WRKB";
  });
  Decision d = decide(snapshot_of(moved), moved, IssueHashes{"c-new", "s-old"},
                      cached_of(make_issue(), kOld), {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kMove);
  EXPECT_EQ(d.previous_key, "WRKA-1");
  ASSERT_TRUE(d.issue.has_value());
  EXPECT_EQ(d.issue->key, "WRKB-9");
}

TEST(ReconcileRule, SignificantHashChangeIsSignificant) {
  JiraIssue issue = changed([](JiraIssue& i) { i.summary = "Login fails on Safari"; });
  Decision d = decide(snapshot_of(issue), issue, IssueHashes{"c-new", "s-new"},
                      cached_of(make_issue(), kOld), {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kSignificant);
  EXPECT_TRUE(d.previous_key.empty());
}

TEST(ReconcileRule, OtherChangeIsAnUpdate) {
  JiraIssue issue = changed([](JiraIssue& i) { i.status = "In Progress"; });
  Decision d = decide(snapshot_of(issue), issue, IssueHashes{"c-new", "s-old"},
                      cached_of(make_issue(), kOld), {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kUpdate);
  ASSERT_TRUE(d.issue.has_value());
  EXPECT_EQ(d.issue->status, "In Progress");
}

TEST(ReconcileRule, RealHashesTellSkipSignificantAndUpdateApart) {
  JiraIssue base = make_issue();
  const IssueHashes base_hashes{content_hash(base), significant_hash(base)};
  CachedTicket row = cached_of(base, base_hashes);

  EXPECT_EQ(decide(snapshot_of(base), base, row, {}, {}, kNow).kind, DecisionKind::kSkip);

  JiraIssue retitled = changed([](JiraIssue& i) { i.summary = "Login fails on Safari"; });
  EXPECT_EQ(decide(snapshot_of(retitled), retitled, row, {}, {}, kNow).kind,
            DecisionKind::kSignificant);

  JiraIssue restatused = changed([](JiraIssue& i) { i.status = "Done"; });
  Decision d = decide(snapshot_of(restatused), restatused, row, {}, {}, kNow);
  EXPECT_EQ(d.kind, DecisionKind::kUpdate);
  EXPECT_EQ(d.content_hash, content_hash(restatused));
  EXPECT_NE(d.content_hash, base_hashes.content);
}

// --- conflicts ---------------------------------------------------------------

Decision decide_change(const JiraIssue& now_in_jira, const std::vector<LocalEdit>& edits,
                       const ConflictPolicy& policy) {
  return decide(snapshot_of(now_in_jira), now_in_jira, IssueHashes{"c-new", "s-new"},
                cached_of(make_issue(), kOld), edits, policy, kNow);
}

ConflictPolicy policy(ConflictStrategy s) {
  ConflictPolicy p;
  p.strategy = s;
  return p;
}

TEST(ReconcileRule, LocalEditJiraLeftAloneIsNoConflict) {
  JiraIssue issue = changed([](JiraIssue& i) { i.status = "Done"; });
  Decision d = decide_change(issue, {edit("summary", "My title", kNow)}, {});
  EXPECT_TRUE(d.issue.has_value()) << "a write decision";
  EXPECT_TRUE(d.conflicts.empty());
}

TEST(ReconcileRule, JiraWinsByDefault) {
  JiraIssue issue = changed([](JiraIssue& i) { i.summary = "Jira title"; });
  Decision d = decide_change(issue, {edit("summary", "My title", kNow)}, {});
  ASSERT_EQ(d.conflicts.size(), 1u);
  const ConflictResolution& c = d.conflicts[0];
  EXPECT_EQ(c.field, "summary");
  EXPECT_EQ(c.local_value, "My title");
  EXPECT_EQ(c.jira_value, "Jira title");
  EXPECT_EQ(c.strategy, ConflictStrategy::kJiraWins);
  EXPECT_EQ(c.outcome, "jira");
}

TEST(ReconcileRule, LocalWinsKeepsTheEdit) {
  JiraIssue issue = changed([](JiraIssue& i) { i.priority = "High"; });
  Decision d =
      decide_change(issue, {edit("priority", "Low", kNow)}, policy(ConflictStrategy::kLocalWins));
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_EQ(d.conflicts[0].jira_value, "High");
  EXPECT_EQ(d.conflicts[0].strategy, ConflictStrategy::kLocalWins);
  EXPECT_EQ(d.conflicts[0].outcome, "local");
}

TEST(ReconcileRule, ManualLeavesTheConflictOpen) {
  JiraIssue issue = changed([](JiraIssue& i) { i.labels = {"frontend"}; });
  Decision d =
      decide_change(issue, {edit("labels", "mine", kNow)}, policy(ConflictStrategy::kManual));
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_EQ(d.conflicts[0].outcome, "manual");
  EXPECT_EQ(d.conflicts[0].local_value, "mine");
  EXPECT_EQ(d.conflicts[0].jira_value, "frontend");
}

TEST(ReconcileRule, NewestWinsPicksTheLocalEditWhenItIsNewer) {
  JiraIssue issue = changed([](JiraIssue& i) { i.status = "Done"; });
  Decision d = decide_change(issue, {edit("status", "Blocked", issue.updated_ms + 1)},
                             policy(ConflictStrategy::kNewestWins));
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_EQ(d.conflicts[0].strategy, ConflictStrategy::kNewestWins);
  EXPECT_EQ(d.conflicts[0].outcome, "local");
}

TEST(ReconcileRule, NewestWinsPicksJiraWhenItIsNewer) {
  JiraIssue issue = changed([](JiraIssue& i) { i.status = "Done"; });
  Decision d = decide_change(issue, {edit("status", "Blocked", issue.updated_ms - 1)},
                             policy(ConflictStrategy::kNewestWins));
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_EQ(d.conflicts[0].outcome, "jira");
}

TEST(ReconcileRule, NewestWinsCapsAnEditStampedInTheFuture) {
  // Jira updated after "now" would be odd, but an edit from a skewed clock must
  // not beat a Jira change made after the moment we decide.
  JiraIssue issue = changed([](JiraIssue& i) {
    i.updated_ms = kNow + 10;
    i.status = "Done";
  });
  Decision d = decide_change(issue, {edit("status", "Blocked", kNow + 1'000'000)},
                             policy(ConflictStrategy::kNewestWins));
  ASSERT_EQ(d.conflicts.size(), 1u);
  EXPECT_EQ(d.conflicts[0].outcome, "jira");
}

TEST(ReconcileRule, FieldOverrideBeatsTheProjectStrategy) {
  JiraIssue issue = changed([](JiraIssue& i) {
    i.summary = "Jira title";
    i.status = "Done";
  });
  ConflictPolicy p = policy(ConflictStrategy::kJiraWins);
  p.field_strategy["status"] = ConflictStrategy::kLocalWins;
  Decision d =
      decide_change(issue, {edit("summary", "Mine", kNow), edit("status", "Blocked", kNow)}, p);
  ASSERT_EQ(d.conflicts.size(), 2u);
  EXPECT_EQ(d.conflicts[0].field, "summary");
  EXPECT_EQ(d.conflicts[0].outcome, "jira");
  EXPECT_EQ(d.conflicts[1].field, "status");
  EXPECT_EQ(d.conflicts[1].strategy, ConflictStrategy::kLocalWins);
  EXPECT_EQ(d.conflicts[1].outcome, "local");
}

TEST(ReconcileRule, ReorderedLabelsAndRenamedAssigneeAreNotChanges) {
  JiraIssue issue = changed([](JiraIssue& i) {
    i.labels = {"api", "backend"};
    i.assignee->display_name = "Ada King";
    i.status = "Done";
  });
  Decision d = decide_change(issue, {edit("labels", "x", kNow), edit("assignee", "me", kNow)}, {});
  EXPECT_TRUE(d.conflicts.empty());
}

TEST(ReconcileRule, ReassignmentAndDescriptionEditsConflict) {
  JiraIssue issue = changed([](JiraIssue& i) {
    i.assignee = JiraUser{"acc-2", "Grace Hopper"};
    i.description_adf = R"({"content":[{"text":"x","type":"text"}],"type":"doc","version":1})";
    i.description_text = "x";
  });
  Decision d = decide_change(
      issue, {edit("assignee", "Ada Lovelace", kNow), edit("description", "mine", kNow)}, {});
  ASSERT_EQ(d.conflicts.size(), 2u);
  EXPECT_EQ(d.conflicts[0].jira_value, "Grace Hopper");
  EXPECT_EQ(d.conflicts[1].jira_value, "x");
}

TEST(ReconcileRule, InsertHasNoConflictsEvenWithEdits) {
  JiraIssue issue = make_issue();
  Decision d = decide(snapshot_of(issue), issue, IssueHashes{"c", "s"}, std::nullopt,
                      {edit("summary", "Mine", kNow)}, {}, kNow);
  EXPECT_TRUE(d.conflicts.empty());
}

// --- policy from configuration ---------------------------------------------

TEST(ConflictPolicy, BuiltFromProjectSettings) {
  ProjectSettings s;
  s.key = "WRKA";
  s.strategy = "NEWEST_WINS";
  s.field_strategy = {{"summary", "MANUAL"}};
  ConflictPolicies policies({s});
  const ConflictPolicy& p = policies.for_project("WRKA");
  EXPECT_EQ(p.for_field("status"), ConflictStrategy::kNewestWins);
  EXPECT_EQ(p.for_field("summary"), ConflictStrategy::kManual);
  EXPECT_EQ(policies.for_project("OTHER").for_field("summary"), ConflictStrategy::kJiraWins);
}

TEST(ConflictPolicy, UnknownStrategyNamesTheSetting) {
  ProjectSettings s;
  s.key = "WRKA";
  s.strategy = "YOLO";
  try {
    ConflictPolicy::from_settings(s);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "projects[WRKA].strategy");
    EXPECT_NE(std::string(e.what()).find("YOLO"), std::string::npos);
  }
}

TEST(ConflictPolicy, UnknownFieldNamesTheSetting) {
  ProjectSettings s;
  s.key = "WRKA";
  s.field_strategy = {{"reporter", "LOCAL_WINS"}};
  try {
    ConflictPolicy::from_settings(s);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "projects[WRKA].field_strategy.reporter");
  }
}

// The writer counts each item of a run once. Two snapshots of one issue in a
// run (edited while the run paged) are two items, whatever each decides; the
// same snapshot decided again (a redelivery) is the same item.
TEST(ReconcileRule, EachVersionOfAnIssueInARunIsItsOwnItem) {
  const JiraIssue first = make_issue();
  const JiraIssue edited = changed([](JiraIssue& i) { i.summary = "edited during a busy run"; });
  const Decision a = decide(snapshot_of(first), first, kOld, std::nullopt, {}, {}, kNow);
  const Decision b = decide(snapshot_of(edited), edited, IssueHashes{"c-new", "s-new"},
                            cached_of(first, kOld), {}, {}, kNow);
  EXPECT_NE(a.item_key, b.item_key);
  // Redelivered after the writer applied it: now a skip, still the same item.
  const Decision again =
      decide(snapshot_of(first), first, kOld, cached_of(first, kOld), {}, {}, kNow);
  EXPECT_EQ(again.kind, DecisionKind::kSkip);
  EXPECT_EQ(again.item_key, a.item_key);
}

// The config loader keeps its own copy of the list (it sits below the
// reconciler); the two must agree.
TEST(ConflictPolicy, ConfigAcceptsExactlyTheOverridableFields) {
  for (const std::string& field : overridable_fields()) {
    EXPECT_NO_THROW(
        load_config_from("projects: [{key: A, field_strategy: {" + field + ": MANUAL}}]", {}))
        << field;
  }
  EXPECT_THROW(load_config_from("projects: [{key: A, field_strategy: {reporter: MANUAL}}]", {}),
               ConfigError);
}

}  // namespace
}  // namespace jirasync
