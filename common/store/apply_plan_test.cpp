// The writer's apply rules without a database: ApplyPlan given cached rows
// and a batch, checked on the effects it would write.
#include "common/store/apply_plan.hpp"

#include <gtest/gtest.h>

#include "common/store/store_test_fixtures.hpp"

namespace jirasync {
namespace {

using testing::hash_of;
using testing::issue;
using testing::plain;
using testing::snapshot;
using testing::sweep_chunk;
using testing::sweep_end;

constexpr int64_t kNow = 1'700'000'000'000;

// A sweep's database side in memory: the chunks recorded and the live
// tickets the sweep might not have listed.
class MemoryLedger final : public SweepLedger {
 public:
  int64_t chunks = 0;
  std::vector<std::string> live;  // live tickets of the project created before the sweep
  std::set<std::string> listed;   // what the sweep listed
  std::vector<std::string> forgotten;
  int delete_calls = 0;

  int64_t chunks_recorded(const std::string&) override { return chunks; }
  std::vector<std::string> delete_unseen(const std::string&, int64_t, const std::string&) override {
    ++delete_calls;
    std::vector<std::string> gone;
    for (const auto& id : live) {
      if (!listed.count(id)) gone.push_back(id);
    }
    return gone;
  }
  void forget_sweep(const std::string& run_id) override { forgotten.push_back(run_id); }
  int64_t count_unseen(const std::string&, int64_t, const std::string&) override {
    int64_t n = 0;
    for (const auto& id : live) n += listed.count(id) ? 0 : 1;
    return n;
  }
  int64_t live_tickets(const std::string&) override { return static_cast<int64_t>(live.size()); }
  void hold_sweep(const SweepHold& hold) override { holds.push_back(hold); }
  std::vector<SweepHold> holds;
};

TicketRow cached_row(const JiraIssue& i) {
  TicketRow row;
  row.cached.id = i.id;
  row.cached.key = i.key;
  row.cached.content_hash = hash_of(i);
  row.cached.significant_hash = "s:" + i.summary;
  row.cached.updated_ms = i.updated_ms;
  row.cached.issue = i;
  row.first_seen_ms = 1'000;
  return row;
}

// Every item of `batch` claimed, as for a batch nobody applied before.
std::set<ApplyPlan::ItemId> all_claimed(const std::vector<Decision>& batch) {
  std::set<ApplyPlan::ItemId> claimed;
  for (const Decision& d : batch) {
    if (!d.run_id.empty()) claimed.emplace(d.run_id, ApplyPlan::item_key_of(d));
  }
  return claimed;
}

class ApplyPlanTest : public ::testing::Test {
 protected:
  int64_t plan(const std::vector<Decision>& batch) {
    return p.plan(batch, all_claimed(batch), ledger);
  }
  ApplyPlan p{kNow};
  MemoryLedger ledger;
};

TEST_F(ApplyPlanTest, AnOlderSnapshotNeverOverwritesANewerRow) {
  p.know_row(cached_row(issue("101", "WRKA-1", 9'000, "Newer")));
  EXPECT_EQ(plan({snapshot("r1", issue("101", "WRKA-1", 5'000, "Older"), DecisionKind::kUpdate)}),
            1);
  const auto pending = p.take_pending();
  EXPECT_TRUE(pending.rows.empty());
  EXPECT_TRUE(pending.changes.empty());
  EXPECT_EQ(p.runs().at("r1").stats.unchanged, 1);
  EXPECT_EQ(p.runs().at("r1").applied, 1);
}

TEST_F(ApplyPlanTest, AnIdenticalHashWritesNothing) {
  const JiraIssue same = issue("101", "WRKA-1", 5'000);
  p.know_row(cached_row(same));
  EXPECT_EQ(plan({snapshot("r1", same, DecisionKind::kUpdate)}), 1);
  EXPECT_TRUE(p.take_pending().empty());
  EXPECT_EQ(p.written(), 0);
}

TEST_F(ApplyPlanTest, ATouchAdvancesUpdatedWithoutHistory) {
  JiraIssue i = issue("101", "WRKA-1", 5'000);
  TicketRow row = cached_row(i);
  p.know_row(row);
  i.updated_ms = 7'000;
  Decision skip = snapshot("r1", i, DecisionKind::kSkip);
  skip.content_hash = row.cached.content_hash;  // the content did not change
  EXPECT_EQ(plan({skip}), 0);
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.rows.size(), 1u);
  EXPECT_EQ(pending.rows[0]->cached.updated_ms, 7'000);
  EXPECT_EQ(pending.rows[0]->last_synced_ms, kNow);
  EXPECT_TRUE(pending.changes.empty());
  EXPECT_EQ(p.runs().at("r1").stats.unchanged, 1);
}

TEST_F(ApplyPlanTest, AnInsertWritesTheRowItsFirstKeyAndItsHistory) {
  EXPECT_EQ(plan({snapshot("r1", issue("101", "WRKA-1", 5'000))}), 0);
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.rows.size(), 1u);
  EXPECT_EQ(pending.rows[0]->first_seen_ms, kNow);
  EXPECT_EQ(pending.rows[0]->sync_status, "synced");
  ASSERT_EQ(pending.keys.size(), 1u);
  EXPECT_EQ(pending.keys[0].key, "WRKA-1");
  ASSERT_EQ(pending.changes.size(), 1u);
  EXPECT_EQ(pending.changes[0].change, "inserted");
  EXPECT_EQ(p.runs().at("r1").stats.created, 1);
  EXPECT_EQ(p.written(), 1);
}

TEST_F(ApplyPlanTest, LaterDecisionsInTheBatchSeeEarlierOnes) {
  Decision newer = snapshot("r1", issue("101", "WRKA-1", 9'000, "Newer"));
  Decision older = snapshot("r1", issue("101", "WRKA-1", 5'000, "Older"), DecisionKind::kUpdate);
  older.item_key = "101@5000";
  EXPECT_EQ(plan({newer, older}), 1);
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.rows.size(), 1u);
  EXPECT_EQ(pending.rows[0]->cached.issue.summary, "Newer");
}

TEST_F(ApplyPlanTest, AnItemCountsOnceAndAnUnclaimedOneNotAtAll) {
  const Decision d = snapshot("r1", issue("101", "WRKA-1", 5'000));
  const Decision committed_before = snapshot("r1", issue("102", "WRKA-2", 5'000));
  // The same item twice, and one another batch committed (not claimed here).
  EXPECT_EQ(p.plan({d, d, committed_before}, {{"r1", "101"}}, ledger), 2);
  EXPECT_EQ(p.runs().at("r1").applied, 1);
  EXPECT_EQ(p.take_pending().rows.size(), 1u);
}

TEST_F(ApplyPlanTest, AManualConflictKeepsTheTicketMarkedAndJiraWinsDropsTheEdit) {
  p.know_row(cached_row(issue("101", "WRKA-1", 5'000)));
  Decision d = snapshot("r1", issue("101", "WRKA-1", 6'000, "New title"), DecisionKind::kUpdate);
  ConflictResolution manual{"priority", "Low", "High", ConflictStrategy::kManual, "manual"};
  ConflictResolution jira{"summary", "Mine", "New title", ConflictStrategy::kJiraWins, "jira"};
  d.conflicts = {manual, jira};
  plan({d});
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.rows.size(), 1u);
  EXPECT_EQ(pending.rows[0]->sync_status, "conflict");
  ASSERT_EQ(pending.conflicts.size(), 2u);
  EXPECT_TRUE(pending.conflicts[0].open);
  EXPECT_FALSE(pending.conflicts[1].open);
  ASSERT_EQ(pending.dropped_edits.size(), 1u);
  EXPECT_EQ(pending.dropped_edits[0].second, "summary");
  EXPECT_EQ(p.runs().at("r1").stats.conflicts, 2);
}

TEST_F(ApplyPlanTest, AnIncompleteSweepDeletesNothing) {
  ledger.chunks = 1;
  ledger.live = {"101", "102"};
  plan({sweep_end("r1", 2, 500)});
  EXPECT_EQ(ledger.delete_calls, 0);
  EXPECT_EQ(ledger.forgotten, std::vector<std::string>{"r1"});
  EXPECT_EQ(p.runs().at("r1").stats.deleted, 0);
  EXPECT_EQ(p.runs().at("r1").error, "sweep incomplete: 1 of 2 chunks applied; nothing deleted");
  EXPECT_TRUE(p.take_pending().changes.empty());
}

TEST_F(ApplyPlanTest, ACompleteSweepDeletesWhatItDidNotSee) {
  ledger.chunks = 1;
  ledger.live = {"101", "102"};
  ledger.listed = {"101"};
  p.know_row(cached_row(issue("102", "WRKA-2", 5'000)));
  plan({sweep_chunk("r1", 0, {"101"}), sweep_end("r1", 1, 500)});
  EXPECT_EQ(ledger.delete_calls, 1);
  EXPECT_EQ(p.runs().at("r1").stats.deleted, 1);
  EXPECT_EQ(p.written(), 1);
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.changes.size(), 1u);
  EXPECT_EQ(pending.changes[0].ticket_id, "102");
  EXPECT_EQ(pending.changes[0].change, "deleted");
  EXPECT_EQ(pending.sweep_ids.count({"r1", "101"}), 1u);
}

TEST_F(ApplyPlanTest, ASweepThatWouldDeleteMoreThanTheShareIsHeldNotApplied) {
  p.limit_sweeps(0.5);
  ledger.chunks = 1;
  ledger.live = {"101", "102", "103", "104"};
  ledger.listed = {"101"};  // 3 of 4 would go: more than half
  plan({sweep_chunk("r1", 0, {"101"}), sweep_end("r1", 1, 500)});
  EXPECT_EQ(ledger.delete_calls, 0);
  ASSERT_EQ(ledger.holds.size(), 1u);
  EXPECT_EQ(ledger.holds[0].run_id, "r1");
  EXPECT_EQ(ledger.holds[0].project, "WRKA");
  EXPECT_EQ(ledger.holds[0].started_ms, 500);
  EXPECT_EQ(ledger.holds[0].would_delete, 3);
  EXPECT_EQ(ledger.holds[0].live, 4);
  EXPECT_EQ(ledger.holds[0].held_ms, kNow);
  // The sweep's ids stay: releasing the hold needs them.
  EXPECT_TRUE(ledger.forgotten.empty());
  EXPECT_EQ(p.runs().at("r1").stats.deleted, 0);
  EXPECT_EQ(p.runs().at("r1").error,
            "sweep held: it would delete 3 of 4 live tickets of WRKA (more than 50%); "
            "`jirasync sweep release WRKA` applies it");
}

TEST_F(ApplyPlanTest, ASweepWithinTheShareDeletes) {
  p.limit_sweeps(0.5);
  ledger.chunks = 1;
  ledger.live = {"101", "102", "103", "104"};
  ledger.listed = {"101", "102"};  // 2 of 4: exactly half is allowed
  plan({sweep_chunk("r1", 0, {"101", "102"}), sweep_end("r1", 1, 500)});
  EXPECT_EQ(ledger.delete_calls, 1);
  EXPECT_TRUE(ledger.holds.empty());
  EXPECT_EQ(p.runs().at("r1").stats.deleted, 2);
}

TEST_F(ApplyPlanTest, WithoutALimitEverySweepDeletes) {
  ledger.chunks = 1;
  ledger.live = {"101", "102"};
  plan({sweep_chunk("r1", 0, {}), sweep_end("r1", 1, 500)});
  EXPECT_EQ(ledger.delete_calls, 1);
  EXPECT_TRUE(ledger.holds.empty());
}

TEST_F(ApplyPlanTest, ASweepEndWithoutARunDeletesNothing) {
  ledger.chunks = 0;
  ledger.live = {"101"};
  plan({sweep_end("", 0, 500)});
  EXPECT_EQ(ledger.delete_calls, 0);
  EXPECT_TRUE(p.runs().empty());
}

TEST_F(ApplyPlanTest, ADeleteMarksTheRowOnceAndCountsAnUnknownIdAsUnchanged) {
  p.know_row(cached_row(issue("101", "WRKA-1", 5'000)));
  Decision gone = plain("r1", DecisionKind::kDelete, "101");
  Decision unknown = plain("r1", DecisionKind::kDelete, "999");
  EXPECT_EQ(plan({gone, unknown}), 1);
  const auto pending = p.take_pending();
  ASSERT_EQ(pending.rows.size(), 1u);
  EXPECT_TRUE(pending.rows[0]->cached.deleted);
  EXPECT_EQ(pending.rows[0]->deleted_ms, kNow);
  EXPECT_EQ(p.runs().at("r1").stats.deleted, 1);
  EXPECT_EQ(p.runs().at("r1").stats.unchanged, 1);
}

}  // namespace
}  // namespace jirasync
