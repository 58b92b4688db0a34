#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "common/store/local_ticket_rules.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::hash_of;
using ::testing::HasSubstr;
using testing::issue;
using testing::plain;
using testing::queued_run;
using testing::snapshot;
using testing::SqlTicketTables;
using testing::StoreTest;
using testing::sweep_chunk;
using testing::sweep_end;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlTicketStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<SqlTicketTables>(db());
    runs = std::make_unique<SqlRunStore>(db());
    start_run("r1");
  }
  void start_run(const std::string& id, const std::string& project = "WRKA") {
    runs->create_run(queued_run(id, project, kNow));
    runs->mark_running(id, kNow, -1);
  }
  void finish_run(const std::string& id) {
    runs->mark_attempt_failed(id, "done with it", kNow, std::nullopt);
  }
  DecisionSink::ApplyResult apply(std::vector<Decision> batch, int64_t now_ms = kNow) {
    return store->apply(batch, "writer", {}, now_ms);
  }
  RunStats stats(const std::string& run_id = "r1") { return runs->get_run(run_id)->stats; }
  int64_t rows(const std::string& sql) {
    auto lock = db()->lock();
    return SqlQuery(sql).fetch_one(db()->session(), "i")->i64(0);
  }

  std::unique_ptr<SqlTicketTables> store;
  std::unique_ptr<SqlRunStore> runs;
};

TEST_P(SqlTicketStoreTest, InsertStoresTheWholeIssueAndItsFirstKey) {
  const JiraIssue i = issue("101", "WRKA-1", 5'000);
  auto result = apply({snapshot("r1", i)});
  EXPECT_EQ(result.written, 1);
  EXPECT_EQ(result.skipped, 0);

  auto loaded = store->load({"101", "999"});
  ASSERT_EQ(loaded.size(), 1u);
  const CachedTicket& t = loaded.at("101");
  EXPECT_EQ(t.issue, i);
  EXPECT_EQ(t.key, "WRKA-1");
  EXPECT_EQ(t.content_hash, testing::hash_of(i));
  EXPECT_EQ(t.significant_hash, "s:Login fails");
  EXPECT_EQ(t.updated_ms, 5'000);
  EXPECT_FALSE(t.deleted);

  EXPECT_EQ(rows("SELECT COUNT(*) FROM ticket_keys WHERE ticket_id = '101' AND key = 'WRKA-1'"), 1);
  EXPECT_EQ(rows("SELECT first_seen_ms FROM tickets WHERE id = '101'"), kNow);
  auto history = store->changes("101");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].change, "inserted");
  EXPECT_EQ(history[0].run_id, "r1");
  EXPECT_EQ(stats().created, 1);
  EXPECT_EQ(runs->get_run("r1")->applied, 1);
  EXPECT_EQ(store->count("WRKA"), 1);
}

TEST_P(SqlTicketStoreTest, OptionalFieldsRoundTripAsAbsent) {
  JiraIssue i = issue("101", "WRKA-1", 5'000);
  i.priority.reset();
  i.assignee.reset();
  i.labels.clear();
  i.custom_fields.clear();
  i.parent_id = "100";
  i.parent_key = "WRKA-0";
  i.resolution = "Done";
  i.resolution_date_ms = 4'000;
  apply({snapshot("r1", i)});
  EXPECT_EQ(store->load({"101"}).at("101").issue, i);
}

TEST_P(SqlTicketStoreTest, UpdateRecordsChangedFieldsAndKeepsFirstSeen) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  JiraIssue newer = issue("101", "WRKA-1", 6'000);
  newer.status = "Done";
  newer.labels = {"qa"};
  apply({snapshot("r1", newer, DecisionKind::kUpdate)}, kNow + 10);  // same item: skipped
  EXPECT_EQ(store->load({"101"}).at("101").issue.status, "To Do");

  start_run("r2", "OTHER");
  apply({snapshot("r2", newer, DecisionKind::kUpdate)}, kNow + 10);
  auto t = store->load({"101"}).at("101");
  EXPECT_EQ(t.issue.status, "Done");
  EXPECT_EQ(rows("SELECT first_seen_ms FROM tickets WHERE id = '101'"), kNow);
  EXPECT_EQ(rows("SELECT last_synced_ms FROM tickets WHERE id = '101'"), kNow + 10);
  auto history = store->changes("101");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].change, "updated");
  EXPECT_THAT(history[1].detail, HasSubstr(R"("status":{"old":"To Do","new":"Done"})"));
  EXPECT_THAT(history[1].detail, HasSubstr(R"("labels":{"old":["qa","login"],"new":["qa"]})"));
  EXPECT_THAT(history[1].detail, ::testing::Not(HasSubstr("summary")));
  EXPECT_EQ(stats("r2").updated, 1);
}

TEST_P(SqlTicketStoreTest, SignificantChangeIsRecordedAsSuch) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  auto d = snapshot("r1", issue("101", "WRKA-1", 6'000, "Login fails on Safari"),
                    DecisionKind::kSignificant);
  d.item_key = "101#2";
  apply({d});
  auto history = store->changes("101");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].change, "significant");
  EXPECT_THAT(history[1].detail,
              HasSubstr(R"("summary":{"old":"Login fails","new":"Login fails on Safari"})"));
}

TEST_P(SqlTicketStoreTest, OlderSnapshotNeverOverwritesANewerRow) {
  apply({snapshot("r1", issue("101", "WRKA-1", 9'000, "newest"))});
  auto older = snapshot("r1", issue("101", "WRKA-1", 8'000, "stale"), DecisionKind::kUpdate);
  older.item_key = "101#old";
  auto result = apply({older});
  EXPECT_EQ(result.written, 0);
  EXPECT_EQ(result.skipped, 1);
  EXPECT_EQ(store->load({"101"}).at("101").issue.summary, "newest");
  EXPECT_EQ(store->changes("101").size(), 1u);
  EXPECT_EQ(stats().unchanged, 1);
  EXPECT_EQ(runs->get_run("r1")->applied, 2);  // counted, not written
}

TEST_P(SqlTicketStoreTest, SameContentHashWritesNothing) {
  const JiraIssue i = issue("101", "WRKA-1", 5'000);
  apply({snapshot("r1", i)});
  auto again = snapshot("r1", i, DecisionKind::kUpdate);
  again.item_key = "101#again";
  auto result = apply({again}, kNow + 99);
  EXPECT_EQ(result.written, 0);
  EXPECT_EQ(rows("SELECT last_synced_ms FROM tickets WHERE id = '101'"), kNow);
  EXPECT_EQ(store->changes("101").size(), 1u);
  EXPECT_EQ(stats().unchanged, 1);
}

// The reconciler's touch: a skip carrying the issue, because Jira's `updated`
// moved while the content did not. `updated` and last_synced_ms follow Jira;
// no history row; an older touch never moves them back.
TEST_P(SqlTicketStoreTest, TouchAdvancesUpdatedWithoutHistory) {
  const JiraIssue i = issue("101", "WRKA-1", 5'000);
  apply({snapshot("r1", i)});
  JiraIssue later = i;
  later.updated_ms = 6'000;
  auto touch = snapshot("r1", later, DecisionKind::kSkip);
  touch.item_key = "101#touch";
  touch.content_hash = hash_of(i);  // the fixture's hash covers `updated`; Jira's does not
  apply({touch}, kNow + 99);
  EXPECT_EQ(rows("SELECT updated_ms FROM tickets WHERE id = '101'"), 6'000);
  EXPECT_EQ(rows("SELECT last_synced_ms FROM tickets WHERE id = '101'"), kNow + 99);
  EXPECT_EQ(store->load({"101"}).at("101").issue.updated_ms, 6'000);
  EXPECT_EQ(store->changes("101").size(), 1u);
  EXPECT_EQ(stats().unchanged, 1);
  EXPECT_EQ(stats().updated, 0);

  JiraIssue older = i;
  older.updated_ms = 5'500;
  auto stale = snapshot("r1", older, DecisionKind::kSkip);
  stale.item_key = "101#stale";
  stale.content_hash = hash_of(i);
  apply({stale}, kNow + 200);
  EXPECT_EQ(rows("SELECT updated_ms FROM tickets WHERE id = '101'"), 6'000);
  EXPECT_EQ(rows("SELECT last_synced_ms FROM tickets WHERE id = '101'"), kNow + 99);
  EXPECT_EQ(stats().unchanged, 2);

  // Content that differs is not the writer's to touch: a skip never writes it.
  JiraIssue edited = i;
  edited.updated_ms = 7'000;
  edited.summary = "changed behind the reconciler's back";
  auto wrong = snapshot("r1", edited, DecisionKind::kSkip);
  wrong.item_key = "101#wrong";
  apply({wrong}, kNow + 300);
  EXPECT_EQ(rows("SELECT updated_ms FROM tickets WHERE id = '101'"), 6'000);
  EXPECT_EQ(store->load({"101"}).at("101").issue.summary, i.summary);
}

TEST_P(SqlTicketStoreTest, RedeliveredBatchCountsNothingTwice) {
  std::vector<Decision> batch = {
      snapshot("r1", issue("101", "WRKA-1", 5'000)), snapshot("r1", issue("102", "WRKA-2", 5'000)),
      plain("r1", DecisionKind::kSkip, "103"), plain("r1", DecisionKind::kReject, "104")};
  auto first = store->apply(batch, "writer", {{"issues.decided", 0, 10}}, kNow);
  EXPECT_EQ(first.written, 2);
  const auto run_after_first = *runs->get_run("r1");
  const auto changes_after_first = rows("SELECT COUNT(*) FROM ticket_changes");

  auto second = store->apply(batch, "writer", {{"issues.decided", 0, 10}}, kNow + 5);
  EXPECT_EQ(second.written, 0);
  EXPECT_EQ(second.skipped, 4);
  const auto run = *runs->get_run("r1");
  EXPECT_EQ(run.applied, 4);
  EXPECT_EQ(run.applied, run_after_first.applied);
  EXPECT_EQ(run.stats, run_after_first.stats);
  EXPECT_EQ(run.stats.created, 2);
  EXPECT_EQ(run.stats.unchanged, 1);
  EXPECT_EQ(run.stats.dead_lettered, 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM ticket_changes"), changes_after_first);
  EXPECT_EQ(rows("SELECT last_synced_ms FROM tickets WHERE id = '101'"), kNow);
}

TEST_P(SqlTicketStoreTest, TheSameItemTwiceInOneBatchCountsOnce) {
  auto d = snapshot("r1", issue("101", "WRKA-1", 5'000));
  auto result = apply({d, d});
  EXPECT_EQ(result.written, 1);
  EXPECT_EQ(result.skipped, 1);
  EXPECT_EQ(runs->get_run("r1")->applied, 1);
}

TEST_P(SqlTicketStoreTest, LaterDecisionsInABatchSeeEarlierOnes) {
  auto first = snapshot("r1", issue("101", "WRKA-1", 5'000, "one"));
  auto second = snapshot("r1", issue("101", "WRKA-1", 6'000, "two"), DecisionKind::kUpdate);
  second.item_key = "101#2";
  auto stale = snapshot("r1", issue("101", "WRKA-1", 5'500, "stale"), DecisionKind::kUpdate);
  stale.item_key = "101#3";
  apply({first, second, stale});
  EXPECT_EQ(store->load({"101"}).at("101").issue.summary, "two");
  EXPECT_EQ(stats().created, 1);
  EXPECT_EQ(stats().updated, 1);
  EXPECT_EQ(stats().unchanged, 1);
}

TEST_P(SqlTicketStoreTest, ATicketWithItsHistoryIsWhatTheTwoReadsGiveByCurrentOrOldKey) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  auto d = snapshot("r1", issue("101", "WRKA-1", 6'000, "Login fails on Safari"),
                    DecisionKind::kSignificant);
  d.item_key = "101#2";
  apply({d});
  auto moved = snapshot("r1", issue("101", "WRKB-7", 7'000), DecisionKind::kMove);
  moved.item_key = "101#moved";
  moved.previous_key = "WRKA-1";
  apply({moved});
  apply({snapshot("r1", issue("102", "WRKB-8", 5'000))});
  const auto history = store->changes("101");
  ASSERT_EQ(history.size(), 3u);
  for (const std::string key : {"WRKB-7", "WRKA-1"}) {
    const auto both = store->find_with_history(key);
    ASSERT_TRUE(both) << key;
    EXPECT_EQ(both->ticket.id, "101") << key;
    EXPECT_EQ(both->ticket.issue, store->find_by_key(key)->issue) << key;
    ASSERT_EQ(both->history.size(), history.size()) << key;
    for (size_t i = 0; i < history.size(); ++i) {
      EXPECT_EQ(both->history[i].ticket_id, "101");
      EXPECT_EQ(both->history[i].change, history[i].change) << key << " " << i;
      EXPECT_EQ(both->history[i].run_id, history[i].run_id);
      EXPECT_EQ(both->history[i].detail, history[i].detail);
      EXPECT_EQ(both->history[i].at_ms, history[i].at_ms);
    }
  }
  EXPECT_EQ(store->find_with_history("WRKB-8")->history.size(), 1u) << "its own history only";
  EXPECT_FALSE(store->find_with_history("WRKA-2"));
}

// A page's batched read (find_by_ids, one statement) gives what the
// reconciler's (SqlTicketCache::load: the rows, each list, the other ends)
// gives: lists in the same order, other ends by their current key, deleted
// ones left out.
TEST_P(SqlTicketStoreTest, ManyTicketsInOneReadAreWhatTheListByListReadGives) {
  JiraIssue a = issue("101", "WRKA-1", 5'000);
  a.comments = {JiraComment{"9002", JiraUser{"acc-1", "Ada"}, "", "same time, longer id", 7, 8},
                JiraComment{"901", std::nullopt, R"({"type":"doc"})", "same time", 7, 9},
                JiraComment{"900", JiraUser{"acc-2", "Grace"}, "", "first", 3, 3},
                JiraComment{"899", JiraUser{"acc-2", "Grace"}, "", "same time, id after", 7, 7}};
  a.links = {JiraIssueLink{"5001", "Blocks", "outward", "blocks", "102", "WRKA-2"},
             JiraIssueLink{"5002", "Relates", "inward", "relates to", "103", "WRKA-3"},
             JiraIssueLink{"5003", "Cloners", "inward", "is cloned by", "999", "ELSE-1"},
             JiraIssueLink{"5000", "Blocks", "inward", "is blocked by", "102", "WRKA-2"}};
  a.subtasks = {JiraSubtaskRef{"103", "WRKA-3"}, JiraSubtaskRef{"102", "WRKA-2"},
                JiraSubtaskRef{"998", "ELSE-2"}};
  a.attachments = {JiraAttachment{"7002", "b.png", "image/png", 10, 4, std::nullopt},
                   JiraAttachment{"7001", "a.txt", "text/plain", 20, 5, JiraUser{"acc-1", "Ada"}}};
  JiraIssue b = issue("102", "WRKA-2", 5'000);
  b.comments = {JiraComment{"1", JiraUser{"acc-1", "Ada"}, "", "b's", 1, 1}};
  b.links = {JiraIssueLink{"5000", "Blocks", "outward", "blocks", "101", "WRKA-1"}};
  apply({snapshot("r1", a), snapshot("r1", b), snapshot("r1", issue("103", "WRKA-3", 5'000))});
  auto moved = snapshot("r1", issue("102", "WRKB-7", 6'000), DecisionKind::kMove);
  moved.item_key = "102#moved";
  moved.previous_key = "WRKA-2";
  moved.issue->comments = b.comments;
  moved.issue->links = b.links;
  apply({moved});
  Decision gone;
  gone.kind = DecisionKind::kDelete;
  gone.issue_id = "103";
  gone.run_id = "r1";
  gone.item_key = "103#gone";
  apply({gone});

  const std::vector<std::string> ids{"101", "102", "103", "404", "101"};
  const auto one_read = store->find_by_ids(ids);
  const auto list_by_list = SqlTicketCache(db()).load(ids);
  ASSERT_EQ(one_read.size(), 3u);
  ASSERT_EQ(list_by_list.size(), 3u);
  for (const auto& [id, ticket] : list_by_list) {
    ASSERT_TRUE(one_read.count(id)) << id;
    const CachedTicket& got = one_read.at(id);
    EXPECT_EQ(got.key, ticket.key) << id;
    EXPECT_EQ(got.deleted, ticket.deleted) << id;
    EXPECT_EQ(got.updated_ms, ticket.updated_ms) << id;
    EXPECT_EQ(got.content_hash, ticket.content_hash) << id;
    EXPECT_EQ(got.issue, ticket.issue) << id;
  }
  const JiraIssue& read = one_read.at("101").issue;
  std::vector<std::string> order;
  for (const auto& c : read.comments) order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"900", "899", "901", "9002"}));
  ASSERT_EQ(read.links.size(), 3u) << "the link to the deleted 103 drops out";
  EXPECT_EQ(read.links[0].other_key, "WRKB-7") << "the other end's current key";
  EXPECT_EQ(read.links[1].other_key, "ELSE-1") << "an end the cache lacks keeps its key";
  ASSERT_EQ(read.subtasks.size(), 2u);
  EXPECT_EQ(read.subtasks[0].key, "WRKB-7");
  EXPECT_EQ(read.attachments.size(), 2u);
  EXPECT_EQ(read.attachments[0].id, "7002");
}

TEST_P(SqlTicketStoreTest, MoveKeepsTheIdAndTheOldKeyStillResolves) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  auto moved = snapshot("r1", issue("101", "WRKB-7", 6'000), DecisionKind::kMove);
  moved.item_key = "101#moved";
  moved.previous_key = "WRKA-1";
  apply({moved});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM tickets"), 1);
  auto by_old = store->find_by_key("WRKA-1");
  ASSERT_TRUE(by_old);
  EXPECT_EQ(by_old->id, "101");
  EXPECT_EQ(by_old->key, "WRKB-7");
  EXPECT_EQ(store->find_by_key("WRKB-7")->id, "101");
  EXPECT_FALSE(store->find_by_key("WRKA-2"));
  EXPECT_EQ(stats().moved, 1);
  EXPECT_EQ(store->changes("101").back().change, "moved");
  EXPECT_THAT(store->changes("101").back().detail,
              HasSubstr(R"("key":{"old":"WRKA-1","new":"WRKB-7"})"));
  EXPECT_EQ(rows("SELECT COUNT(*) FROM ticket_keys WHERE ticket_id = '101'"), 2);
  EXPECT_EQ(store->count("WRKB"), 1);
  const std::map<std::string, std::string> keys{{"101", "WRKB-7"}};
  EXPECT_EQ(store->current_keys({"101", "999", "101"}), keys);
  EXPECT_EQ(store->count("WRKA"), 0);
}

TEST_P(SqlTicketStoreTest, CountsComeFromTheRowNotTheDecisionKind) {
  // The reconciler thought it was an update, but the cache has no such row.
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000), DecisionKind::kUpdate)});
  EXPECT_EQ(stats().created, 1);
  EXPECT_EQ(stats().updated, 0);
  EXPECT_EQ(store->changes("101")[0].change, "inserted");
}

TEST_P(SqlTicketStoreTest, DeleteMarksDeletedAndANewerSnapshotRestores) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000)),
         snapshot("r1", issue("102", "WRKA-2", 5'000))});
  auto del = plain("r1", DecisionKind::kDelete, "del-1");
  del.issue_ids = {"101", "404"};
  apply({del}, kNow + 1);
  auto t = store->load({"101"}).at("101");
  EXPECT_TRUE(t.deleted);
  EXPECT_EQ(rows("SELECT deleted_ms FROM tickets WHERE id = '101'"), kNow + 1);
  EXPECT_EQ(store->count("WRKA"), 1);
  EXPECT_EQ(stats().deleted, 1);
  EXPECT_EQ(store->changes("101").back().change, "deleted");

  auto back = snapshot("r1", issue("101", "WRKA-1", 7'000, "is back"), DecisionKind::kUpdate);
  back.item_key = "101#back";
  apply({back}, kNow + 2);
  EXPECT_FALSE(store->load({"101"}).at("101").deleted);
  EXPECT_THAT(store->changes("101").back().detail,
              HasSubstr(R"("deleted":{"old":true,"new":false})"));
}

TEST_P(SqlTicketStoreTest, SkipAndRejectAreCountedOnly) {
  auto result =
      apply({plain("r1", DecisionKind::kSkip, "1"), plain("r1", DecisionKind::kReject, "2")});
  EXPECT_EQ(result.written, 0);
  EXPECT_EQ(stats().unchanged, 1);
  EXPECT_EQ(stats().dead_lettered, 1);
  EXPECT_EQ(runs->get_run("r1")->applied, 2);
}

class SweepTest : public SqlTicketStoreTest {
 protected:
  void SetUp() override {
    SqlTicketStoreTest::SetUp();
    if (IsSkipped()) return;
    std::vector<Decision> seed;
    for (const char* id : {"1", "2", "3", "4"}) {
      JiraIssue i = issue(id, std::string("WRKA-") + id, 5'000);
      i.created_ms = 1'000;
      seed.push_back(snapshot("r1", i));
    }
    JiraIssue late = issue("5", "WRKA-5", 5'000);
    late.created_ms = 20'000;  // created after the sweep started
    seed.push_back(snapshot("r1", late));
    JiraIssue elsewhere = issue("9", "OTHER-9", 5'000);
    seed.push_back(snapshot("r1", elsewhere));
    apply(seed);
    finish_run("r1");
    start_run("sweep");
  }
};

TEST_P(SweepTest, IncompleteSweepDeletesNothing) {
  auto result = apply({sweep_chunk("sweep", 0, {"1", "3"}), sweep_end("sweep", 2, 10'000)});
  EXPECT_EQ(store->count("WRKA"), 5);
  EXPECT_EQ(stats("sweep").deleted, 0);
  EXPECT_THAT(runs->get_run("sweep")->error, HasSubstr("sweep incomplete: 1 of 2"));
  EXPECT_EQ(result.written, 0);
}

TEST_P(SweepTest, CompleteSweepDeletesExactlyTheMissingOnes) {
  apply({sweep_chunk("sweep", 0, {"1", "3"})});
  apply({sweep_chunk("sweep", 1, {"4"}), sweep_end("sweep", 2, 10'000)}, kNow + 7);
  auto all = store->load({"1", "2", "3", "4", "5", "9"});
  EXPECT_FALSE(all.at("1").deleted);
  EXPECT_TRUE(all.at("2").deleted);
  EXPECT_FALSE(all.at("3").deleted);
  EXPECT_FALSE(all.at("4").deleted);
  EXPECT_FALSE(all.at("5").deleted) << "created after the sweep started";
  EXPECT_FALSE(all.at("9").deleted) << "another project";
  EXPECT_EQ(stats("sweep").deleted, 1);
  EXPECT_EQ(store->changes("2").back().change, "deleted");
  EXPECT_EQ(rows("SELECT deleted_ms FROM tickets WHERE id = '2'"), kNow + 7);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM sweep_ids"), 0);
  EXPECT_TRUE(runs->get_run("sweep")->error.empty());
}

TEST_P(SweepTest, RedeliveredSweepEndDeletesNothingMore) {
  apply({sweep_chunk("sweep", 0, {"1", "2", "3", "4"}), sweep_end("sweep", 1, 10'000)});
  EXPECT_EQ(store->count("WRKA"), 5);
  // A snapshot of a new issue arrives, then the old sweep end is redelivered.
  JiraIssue fresh = issue("6", "WRKA-6", 5'000);
  apply({snapshot("sweep", fresh), sweep_end("sweep", 1, 10'000)});
  EXPECT_EQ(store->count("WRKA"), 6);
}

TEST_P(SweepTest, EmptyProjectSweepDeletesEverythingCreatedBefore) {
  apply({sweep_end("sweep", 0, 10'000)});
  EXPECT_EQ(store->count("WRKA"), 1);  // only WRKA-5, created later
}

// A project with a sync scope: the chunk of ids Jira still has outside the
// scope marks them out of scope (kept, not deleted); a later listing brings
// them back; a move clears the old project's verdict.
Decision out_of_scope_chunk(const std::string& run_id, int seq, std::vector<std::string> ids) {
  Decision d = sweep_chunk(run_id, seq, std::move(ids));
  d.out_of_scope = true;
  return d;
}

TEST_P(SweepTest, OutOfScopeIdsAreMarkedNotDeletedAndComeBackWhenListedAgain) {
  apply({sweep_chunk("sweep", 0, {"1", "3", "4"}), out_of_scope_chunk("sweep", 1, {"2"}),
         sweep_end("sweep", 2, 10'000)});
  auto all = store->load({"1", "2"});
  EXPECT_FALSE(all.at("2").deleted) << "out of scope is not deleted in Jira";
  EXPECT_EQ(rows("SELECT out_of_scope FROM tickets WHERE id = '2'"), 1);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM tickets WHERE out_of_scope = 1"), 1);
  EXPECT_EQ(stats("sweep").deleted, 0);
  EXPECT_EQ(store->changes("2").back().change, "out_of_scope");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM sweep_ids"), 0);

  // Still outside at the next full sync: no second change row.
  apply({sweep_chunk("s2", 0, {"1", "3", "4"}), out_of_scope_chunk("s2", 1, {"2"}),
         sweep_end("s2", 2, 10'000)});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM ticket_changes WHERE ticket_id = '2' AND change = "
                 "'out_of_scope'"),
            1);

  // Listed again: back in scope.
  apply({sweep_chunk("s3", 0, {"1", "2", "3", "4"}), sweep_end("s3", 1, 10'000)});
  EXPECT_EQ(rows("SELECT out_of_scope FROM tickets WHERE id = '2'"), 0);
  EXPECT_EQ(store->changes("2").back().change, "in_scope");
}

TEST_P(SweepTest, AnIncompleteSweepMarksNothingOutOfScope) {
  apply({out_of_scope_chunk("sweep", 1, {"2"}), sweep_end("sweep", 2, 10'000)});
  EXPECT_EQ(rows("SELECT COUNT(*) FROM tickets WHERE out_of_scope = 1"), 0);
}

TEST_P(SweepTest, AMoveClearsTheOldProjectsScopeVerdict) {
  apply({sweep_chunk("sweep", 0, {"1", "3", "4"}), out_of_scope_chunk("sweep", 1, {"2"}),
         sweep_end("sweep", 2, 10'000)});
  ASSERT_EQ(rows("SELECT out_of_scope FROM tickets WHERE id = '2'"), 1);
  JiraIssue moved = issue("2", "OTHER-12", 6'000);
  moved.created_ms = 1'000;
  Decision d = snapshot("r2", moved);
  d.kind = DecisionKind::kMove;
  d.previous_key = "WRKA-2";
  apply({d});
  EXPECT_EQ(rows("SELECT out_of_scope FROM tickets WHERE id = '2'"), 0);
}

class ConflictTest : public SqlTicketStoreTest {
 protected:
  void SetUp() override {
    SqlTicketStoreTest::SetUp();
    if (IsSkipped()) return;
    apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
    store->put_local_edit({"101", "priority", "Low", kNow});
    store->put_local_edit({"101", "summary", "My title", kNow});
  }
  Decision changed_with(const std::string& outcome, const std::string& field = "priority") {
    JiraIssue i = issue("101", "WRKA-1", 6'000);
    i.priority = "Highest";
    auto d = snapshot("r1", i, DecisionKind::kUpdate);
    d.item_key = "101#" + outcome;
    ConflictResolution c;
    c.field = field;
    c.local_value = "Low";
    c.jira_value = "Highest";
    c.strategy = outcome == "manual"  ? ConflictStrategy::kManual
                 : outcome == "local" ? ConflictStrategy::kLocalWins
                                      : ConflictStrategy::kJiraWins;
    c.outcome = outcome;
    d.conflicts = {c};
    return d;
  }
  std::vector<std::string> edited_fields() {
    std::vector<std::string> fields;
    auto edits = store->local_edits({"101"});
    for (const auto& e : edits["101"]) fields.push_back(e.field);
    return fields;
  }
  std::string sync_status() { return store->list("WRKA", 10).at(0).sync_status; }
};

TEST_P(ConflictTest, JiraWinsDropsTheLocalEdit) {
  apply({changed_with("jira")});
  EXPECT_EQ(edited_fields(), std::vector<std::string>{"summary"});
  auto all = store->conflicts("101", false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].open);
  EXPECT_EQ(all[0].outcome, "jira");
  EXPECT_EQ(all[0].local_value, "Low");
  EXPECT_EQ(all[0].jira_value, "Highest");
  EXPECT_TRUE(store->conflicts("101", true).empty());
  EXPECT_EQ(sync_status(), "synced");
  EXPECT_EQ(stats().conflicts, 1);
  EXPECT_EQ(store->changes("101").back().change, "conflict");
}

TEST_P(ConflictTest, LocalWinsKeepsTheLocalEdit) {
  apply({changed_with("local")});
  EXPECT_EQ(edited_fields(), (std::vector<std::string>{"priority", "summary"}));
  EXPECT_FALSE(store->conflicts("101", false).at(0).open);
  EXPECT_EQ(sync_status(), "synced");
  EXPECT_EQ(store->load({"101"}).at("101").issue.priority, "Highest");  // Jira's value cached
}

TEST_P(ConflictTest, ManualStaysOpenUntilResolved) {
  apply({changed_with("manual")});
  EXPECT_EQ(sync_status(), "conflict");
  auto open = store->conflicts("101", true);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(edited_fields(), (std::vector<std::string>{"priority", "summary"}));

  // Another sync while the conflict is open keeps the ticket marked.
  JiraIssue later = issue("101", "WRKA-1", 7'000);
  later.status = "In Progress";
  auto d = snapshot("r1", later, DecisionKind::kUpdate);
  d.item_key = "101#later";
  apply({d});
  EXPECT_EQ(sync_status(), "conflict");

  store->resolve_conflict(open[0].id, "jira", kNow + 100);
  EXPECT_EQ(sync_status(), "synced");
  EXPECT_EQ(edited_fields(), std::vector<std::string>{"summary"});
  auto closed = store->conflicts("101", false).at(0);
  EXPECT_FALSE(closed.open);
  EXPECT_EQ(closed.outcome, "resolved-jira");
  EXPECT_THAT(store->changes("101").back().detail, HasSubstr("resolved-jira"));
  EXPECT_THROW(store->resolve_conflict(open[0].id, "jira", kNow), std::invalid_argument);
}

TEST_P(ConflictTest, ResolvingOneOfTwoLeavesTheTicketInConflict) {
  apply({changed_with("manual"), changed_with("manual", "summary")});
  auto open = store->conflicts("101", true);
  ASSERT_EQ(open.size(), 1u);  // the second decision had the same item key
  auto second = changed_with("manual", "summary");
  second.item_key = "101#second";
  second.issue->updated_ms = 8'000;
  second.content_hash = "h:other";
  apply({second});
  open = store->conflicts("101", true);
  ASSERT_EQ(open.size(), 2u);
  store->resolve_conflict(open[0].id, "local", kNow);
  EXPECT_EQ(sync_status(), "conflict");
  EXPECT_EQ(edited_fields(), (std::vector<std::string>{"priority", "summary"}));
  store->resolve_conflict(open[1].id, "local", kNow);
  EXPECT_EQ(sync_status(), "synced");
}

TEST_P(ConflictTest, ResolveRejectsBadInput) {
  EXPECT_THROW(store->resolve_conflict(12345, "jira", kNow), std::invalid_argument);
  apply({changed_with("manual")});
  const auto id = store->conflicts("101", true).at(0).id;
  try {
    store->resolve_conflict(id, "mine", kNow);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("take"));
  }
  EXPECT_EQ(store->conflicts("101", true).size(), 1u);
}

TEST_P(SqlTicketStoreTest, OffsetsAreStoredPerGroupAndUpdated) {
  store->apply({}, "writer", {{"issues.decided", 0, 10}, {"issues.decided", 1, 4}}, kNow);
  store->apply({}, "writer", {{"issues.decided", 0, 25}}, kNow);
  auto offsets = store->stored_offsets("writer");
  ASSERT_EQ(offsets.size(), 2u);
  EXPECT_EQ(offsets[0].partition, 0);
  EXPECT_EQ(offsets[0].next_offset, 25);
  EXPECT_EQ(offsets[1].partition, 1);
  EXPECT_EQ(offsets[1].next_offset, 4);
  EXPECT_TRUE(store->stored_offsets("someone-else").empty());
  EXPECT_THROW(store->apply({}, "", {{"t", 0, 1}}, kNow), std::invalid_argument);
}

TEST_P(SqlTicketStoreTest, AFailingBatchWritesNothingAtAll) {
  // Break the schema so the batch fails half-way: nothing of it may remain.
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  {
    auto lock = db()->lock();
    db()->session() << "DROP TABLE ticket_changes";
  }
  auto d = snapshot("r1", issue("102", "WRKA-2", 5'000));
  EXPECT_THROW(store->apply({d}, "writer", {{"issues.decided", 0, 99}}, kNow), DatabaseError);
  EXPECT_TRUE(store->load({"102"}).empty());
  EXPECT_TRUE(store->stored_offsets("writer").empty());
  EXPECT_EQ(runs->get_run("r1")->applied, 1);
}

TEST_P(SqlTicketStoreTest, NotesEditsAndListings) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000)),
         snapshot("r1", issue("102", "WRKA-2", 6'000))});
  store->add_note("101", "seen on staging", kNow);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM notes WHERE ticket_id = '101'"), 1);
  EXPECT_THROW(store->add_note("nope", "x", kNow), std::invalid_argument);
  EXPECT_THROW(store->add_note("101", "", kNow), std::invalid_argument);
  EXPECT_THROW(store->put_local_edit({"nope", "summary", "x", kNow}), std::invalid_argument);
  EXPECT_THROW(store->put_local_edit({"101", "", "x", kNow}), std::invalid_argument);
  store->put_local_edit({"101", "summary", "first", kNow});
  store->put_local_edit({"101", "summary", "second", kNow + 1});
  auto edits = store->local_edits({"101", "102"});
  ASSERT_EQ(edits.size(), 1u);
  ASSERT_EQ(edits["101"].size(), 1u);
  EXPECT_EQ(edits["101"][0].value, "second");
  EXPECT_EQ(edits["101"][0].edited_ms, kNow + 1);

  auto listed = store->list("WRKA", 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].key, "WRKA-2");  // most recently updated first
  EXPECT_EQ(listed[0].assignee, "Ada Lovelace");
  EXPECT_EQ(listed[0].status, "To Do");
  EXPECT_EQ(store->list("", 1).size(), 1u);
  EXPECT_EQ(store->count(""), 2);
  EXPECT_THROW(store->list("WRKA", 0), std::invalid_argument);
}

TEST_P(SqlTicketStoreTest, TagsAreIdempotentAndReportWhatChanged) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000)),
         snapshot("r1", issue("102", "WRKA-2", 5'000))});
  EXPECT_EQ(store->add_tags("101", {"flaky", "ios", "flaky"}, kNow),
            (std::vector<std::string>{"flaky", "ios"}));
  EXPECT_EQ(store->add_tags("101", {"ios", "regression"}, kNow + 1),
            (std::vector<std::string>{"regression"}));
  EXPECT_EQ(store->tags("101"), (std::vector<std::string>{"flaky", "ios", "regression"}));
  EXPECT_EQ(rows("SELECT at_ms FROM tags WHERE ticket_id = '101' AND tag = 'ios'"), kNow);
  EXPECT_TRUE(store->tags("102").empty());

  EXPECT_EQ(store->remove_tags("101", {"ios", "never-there"}), (std::vector<std::string>{"ios"}));
  EXPECT_TRUE(store->remove_tags("101", {"ios"}).empty());
  EXPECT_EQ(store->tags("101"), (std::vector<std::string>{"flaky", "regression"}));
}

TEST_P(SqlTicketStoreTest, LinksAreIdempotentAndLeadFromTheTargetToItsTickets) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000, "Login fails")),
         snapshot("r1", issue("102", "WRKA-2", 5'000, "Logout hangs")),
         snapshot("r1", issue("103", "WRKA-3", 5'000))});
  const LinkTarget tc{"testcase", "TC-17"};
  EXPECT_TRUE(store->add_link("102", tc, kNow));
  EXPECT_TRUE(store->add_link("101", tc, kNow + 1));
  EXPECT_FALSE(store->add_link("101", tc, kNow + 2));
  EXPECT_TRUE(store->add_link("101", {"run", "nightly-42"}, kNow + 3));

  EXPECT_EQ(store->links("101"), (std::vector<TicketLink>{{"101", {"run", "nightly-42"}, kNow + 3},
                                                          {"101", tc, kNow + 1}}));
  const auto linked = store->linked_tickets(tc);
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0].key, "WRKA-1");
  EXPECT_EQ(linked[0].summary, "Login fails");
  EXPECT_EQ(linked[0].status, "To Do");
  EXPECT_EQ(linked[1].key, "WRKA-2");
  EXPECT_TRUE(store->linked_tickets({"testcase", "TC-18"}).empty());

  EXPECT_TRUE(store->remove_link("101", tc));
  EXPECT_FALSE(store->remove_link("101", tc));
  EXPECT_FALSE(store->remove_link("103", tc));
  ASSERT_EQ(store->linked_tickets(tc).size(), 1u);
  EXPECT_EQ(store->linked_tickets(tc)[0].key, "WRKA-2");
}

TEST_P(SqlTicketStoreTest, BadTagsTargetsAndTicketsAreRejectedAndChangeNothing) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  const auto rejects = [](auto&& call, const std::string& fragment) {
    try {
      call();
      ADD_FAILURE() << "accepted; expected an error with: " << fragment;
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(fragment));
    }
  };
  // A good tag before a bad one is not written either.
  rejects([&] { store->add_tags("101", {"good", "two words"}, kNow); }, "tag 'two words'");
  rejects([&] { store->add_tags("101", {"a,b"}, kNow); }, "tag 'a,b'");
  rejects([&] { store->add_tags("101", {"tab\there"}, kNow); }, "tab");
  rejects([&] { store->add_tags("101", {""}, kNow); }, "tag: must not be empty");
  rejects([&] { store->add_tags("101", {std::string(65, 'x')}, kNow); }, "longer than 64");
  rejects([&] { store->add_tags("101", {}, kNow); }, "at least one tag");
  rejects([&] { store->add_tags("nope", {"good"}, kNow); }, "no ticket with id 'nope'");
  rejects([&] { store->remove_tags("nope", {"good"}); }, "no ticket with id 'nope'");
  store->add_tags("101", {std::string(64, 'x')}, kNow);  // the limit itself is fine
  EXPECT_EQ(rows("SELECT COUNT(*) FROM tags"), 1);

  rejects([&] { parse_link_target("TC-17"); }, "expected TYPE:ID");
  rejects([&] { parse_link_target("TestCase:TC-17"); }, "lowercase letters, digits and '-'");
  rejects([&] { parse_link_target(":TC-17"); }, "TYPE must be 1 to 32");
  rejects([&] { parse_link_target(std::string(33, 'a') + ":x"); }, "TYPE must be 1 to 32");
  rejects([&] { parse_link_target("testcase:"); }, "ID must be 1 to 200");
  rejects([&] { parse_link_target("testcase:" + std::string(201, 'x')); }, "ID must be 1 to 200");
  rejects([&] { parse_link_target("testcase:TC\n17"); }, "control characters");
  rejects([&] { store->add_link("101", {"Bad", "x"}, kNow); }, "link 'Bad:x'");
  rejects([&] { store->add_link("nope", {"testcase", "TC-17"}, kNow); }, "no ticket with id");
  rejects([&] { store->remove_link("nope", {"testcase", "TC-17"}); }, "no ticket with id");
  EXPECT_EQ(rows("SELECT COUNT(*) FROM links"), 0);
  // Only the first ':' splits: the ID may hold more of them.
  EXPECT_EQ(parse_link_target("run:nightly:42"), (LinkTarget{"run", "nightly:42"}));
  EXPECT_EQ(parse_link_target("test-case-2:" + std::string(200, 'x')).id.size(), 200u);
}

TEST_P(SweepTest, LocalDataSurvivesUpdateMoveSweepDeleteAndReinsert) {
  store->add_note("2", "seen on staging", kNow);
  store->add_tags("2", {"flaky", "ios"}, kNow);
  store->add_link("2", {"testcase", "TC-17"}, kNow);
  store->add_tags("3", {"other"}, kNow);
  const auto notes = store->notes("2");
  const auto tags = store->tags("2");
  const auto links = store->links("2");
  ASSERT_EQ(notes.size(), 1u);
  ASSERT_EQ(tags.size(), 2u);
  ASSERT_EQ(links.size(), 1u);

  JiraIssue updated = issue("2", "WRKA-2", 6'000, "updated in Jira");
  updated.created_ms = 1'000;
  auto update = snapshot("sweep", updated, DecisionKind::kUpdate);
  update.item_key = "2#update";
  apply({update}, kNow + 1);
  JiraIssue moved = issue("2", "WRKA-20", 7'000, "updated in Jira");
  moved.created_ms = 1'000;
  auto move = snapshot("sweep", moved, DecisionKind::kMove);
  move.item_key = "2#move";
  move.previous_key = "WRKA-2";
  apply({move}, kNow + 2);
  apply({sweep_chunk("sweep", 0, {"1", "3", "4"}), sweep_end("sweep", 1, 10'000)}, kNow + 3);
  ASSERT_TRUE(store->load({"2"}).at("2").deleted);
  JiraIssue back = issue("2", "WRKA-20", 8'000, "back again");
  back.created_ms = 1'000;
  auto reinsert = snapshot("sweep", back);
  reinsert.item_key = "2#back";
  apply({reinsert}, kNow + 4);

  const CachedTicket t = store->load({"2"}).at("2");
  EXPECT_FALSE(t.deleted);
  EXPECT_EQ(t.key, "WRKA-20");
  std::vector<std::string> kinds;
  for (const auto& c : store->changes("2")) kinds.push_back(c.change);
  EXPECT_EQ(kinds, (std::vector<std::string>{"inserted", "significant", "moved", "deleted",
                                             "significant"}));
  EXPECT_EQ(store->notes("2"), notes);
  EXPECT_EQ(store->tags("2"), tags);
  EXPECT_EQ(store->links("2"), links);
  EXPECT_EQ(store->tags("3"), (std::vector<std::string>{"other"}));
  const auto linked = store->linked_tickets({"testcase", "TC-17"});
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0].key, "WRKA-20");
}

TEST_P(SqlTicketStoreTest, LargeBatchesAreFast) {
  constexpr int kBatches = 10;
  constexpr int kBatchSize = 500;
  const auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kBatches; ++b) {
    std::vector<Decision> batch;
    for (int i = 0; i < kBatchSize; ++i) {
      const std::string id = std::to_string(100'000 + b * kBatchSize + i);
      batch.push_back(snapshot("r1", issue(id, "WRKA-" + id, 5'000)));
    }
    store->apply(batch, "writer", {{"issues.decided", 0, (b + 1) * kBatchSize}}, kNow);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double rate = kBatches * kBatchSize / seconds;
  std::cout << "[ perf     ] " << rate << " decisions/s (" << kBatches << " batches of "
            << kBatchSize << ")\n";
  EXPECT_EQ(store->count("WRKA"), kBatches * kBatchSize);
  EXPECT_EQ(stats().created, kBatches * kBatchSize);
  // The target is > 5000/s on PostgreSQL (about 15000/s measured on a quiet
  // machine); the bound is loose because CI machines are shared. SQLite runs
  // also in the sanitizer job, where speed says nothing: its rate is printed only.
  if (GetParam() == Backend::kPostgres) {
    EXPECT_GT(rate, 1000.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlTicketStoreTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, SweepTest, ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, ConflictTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
