// SqlIssueDocuments: the one-statement read of one issue gives what the three
// seams give one by one (TicketQueries::find_with_history,
// LocalTicketData::local_data_of, TicketFreshness::ages), in their orders, by
// current and by former key.
#include <gtest/gtest.h>

#include "common/store/sql_issue_documents.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::queued_run;
using testing::snapshot;
using testing::SqlTicketTables;
using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlIssueDocumentsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    tables = std::make_unique<SqlTicketTables>(db());
    runs = std::make_unique<SqlRunStore>(db());
    freshness = std::make_unique<SqlTicketFreshness>(db());
    documents = std::make_unique<SqlIssueDocuments>(db());
    runs->create_run(queued_run("r1", "WRKA", kNow));
    runs->mark_running("r1", kNow, -1);
  }
  void apply(std::vector<Decision> batch) { tables->apply(batch, "writer", {}, kNow); }

  // Everything the document holds, through the three seams.
  void expect_same_as_the_seams(const std::string& key) {
    SCOPED_TRACE(key);
    const auto doc = documents->find(key);
    const auto both = tables->find_with_history(key);
    ASSERT_EQ(doc.has_value(), both.has_value());
    if (!doc) return;
    EXPECT_EQ(doc->ticket.id, both->ticket.id);
    EXPECT_EQ(doc->ticket.issue, both->ticket.issue);
    EXPECT_EQ(doc->ticket.content_hash, both->ticket.content_hash);
    ASSERT_EQ(doc->history.size(), both->history.size());
    for (size_t i = 0; i < doc->history.size(); ++i) {
      EXPECT_EQ(doc->history[i].change, both->history[i].change) << i;
      EXPECT_EQ(doc->history[i].detail, both->history[i].detail) << i;
      EXPECT_EQ(doc->history[i].at_ms, both->history[i].at_ms) << i;
    }
    const std::string& id = both->ticket.id;
    const TicketLocalData local = tables->local_data_of(id);
    EXPECT_EQ(doc->local.notes, local.notes);
    EXPECT_EQ(doc->local.tags, local.tags);
    EXPECT_EQ(doc->local.links, local.links);
    ASSERT_EQ(doc->local.edits.size(), local.edits.size());
    for (size_t i = 0; i < local.edits.size(); ++i) {
      EXPECT_EQ(doc->local.edits[i].ticket_id, local.edits[i].ticket_id) << i;
      EXPECT_EQ(doc->local.edits[i].field, local.edits[i].field) << i;
      EXPECT_EQ(doc->local.edits[i].value, local.edits[i].value) << i;
      EXPECT_EQ(doc->local.edits[i].edited_ms, local.edits[i].edited_ms) << i;
    }
    ASSERT_EQ(doc->local.conflicts.size(), local.conflicts.size());
    for (size_t i = 0; i < local.conflicts.size(); ++i) {
      const Conflict& a = doc->local.conflicts[i];
      const Conflict& b = local.conflicts[i];
      EXPECT_EQ(std::tie(a.id, a.ticket_id, a.field, a.local_value, a.jira_value, a.strategy,
                         a.outcome, a.open, a.at_ms),
                std::tie(b.id, b.ticket_id, b.field, b.local_value, b.jira_value, b.strategy,
                         b.outcome, b.open, b.at_ms))
          << i;
    }
    const auto ages = freshness->ages({id});
    ASSERT_TRUE(doc->age.has_value());
    ASSERT_EQ(ages.count(id), 1u);
    EXPECT_EQ(doc->age->ticket_id, ages.at(id).ticket_id);
    EXPECT_EQ(doc->age->project, ages.at(id).project);
    EXPECT_EQ(doc->age->synced_ms, ages.at(id).synced_ms);
  }

  std::unique_ptr<SqlTicketTables> tables;
  std::unique_ptr<SqlRunStore> runs;
  std::unique_ptr<SqlTicketFreshness> freshness;
  std::unique_ptr<SqlIssueDocuments> documents;
};

TEST_P(SqlIssueDocumentsTest, OneReadGivesWhatTheThreeSeamsGiveInTheirOrder) {
  JiraIssue i = issue("101", "WRKA-1", 5'000);
  i.comments.push_back({"11", JiraUser{"acc-1", "Ada"}, "{}", "first", 2'000, 2'000});
  i.comments.push_back({"10", std::nullopt, "{}", "second", 3'000, 3'000});
  i.attachments.push_back({"a1", "log.txt", "text/plain", 12, 2'500, JiraUser{"acc-2", "Grace"}});
  i.links.push_back({"l1", "Blocks", "outward", "blocks", "102", "WRKA-2"});
  i.subtasks.push_back({"102", "WRKA-2"});
  apply({snapshot("r1", i), snapshot("r1", issue("102", "WRKA-2", 5'000))});

  // Each list in an order its insertion order is not.
  tables->put_local_edit({"101", "summary", "My title", kNow + 1});
  tables->put_local_edit({"101", "priority", "Low", kNow + 2});
  tables->add_note("101", "zebra", kNow + 3);
  tables->add_note("101", "apple", kNow + 4);
  tables->add_tags("101", {"smoke", "flaky", "regression"}, kNow + 5);
  tables->add_link("101", {"testcase", "TC-2"}, kNow + 6);
  tables->add_link("101", {"testcase", "TC-10"}, kNow + 7);
  tables->add_link("101", {"run", "R-9"}, kNow + 8);
  // The other ticket's local data stays out of this one's document.
  tables->add_note("102", "not mine", kNow);
  tables->add_tags("102", {"other"}, kNow);

  // A manual conflict on priority (kept open) and a Jira-wins one.
  JiraIssue changed = i;
  changed.updated_ms = 6'000;
  changed.priority = "Highest";
  Decision d = snapshot("r1", changed, DecisionKind::kUpdate);
  d.item_key = "101#2";
  d.conflicts = {{"priority", "Low", "Highest", ConflictStrategy::kManual, "manual"},
                 {"summary", "My title", "Login fails", ConflictStrategy::kJiraWins, "jira"}};
  apply({d});
  freshness->mark_checked({"101"}, kNow + 50);

  const auto doc = documents->find("WRKA-1");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->ticket.issue.comments.size(), 2u);
  EXPECT_EQ(doc->ticket.issue.links.size(), 1u);
  EXPECT_EQ(doc->ticket.issue.subtasks.size(), 1u);
  EXPECT_EQ(doc->ticket.issue.attachments.size(), 1u);
  EXPECT_EQ(doc->local.tags, (std::vector<std::string>{"flaky", "regression", "smoke"}));
  ASSERT_EQ(doc->local.links.size(), 3u);
  EXPECT_EQ(doc->local.links[0].target.type, "run");
  ASSERT_EQ(doc->local.notes.size(), 2u);
  EXPECT_EQ(doc->local.notes[0].text, "zebra") << "notes in the order they were written";
  EXPECT_EQ(doc->local.conflicts.size(), 2u);
  EXPECT_EQ(doc->age->synced_ms, kNow + 50) << "the refresh that found it unchanged";
  expect_same_as_the_seams("WRKA-1");
  expect_same_as_the_seams("WRKA-2");
}

TEST_P(SqlIssueDocumentsTest, AFormerKeyAndAGoodRunReadAsTheSeamsReadThem) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  tables->add_note("101", "seen on staging", kNow);
  Decision moved = snapshot("r1", issue("101", "WRKB-7", 7'000), DecisionKind::kMove);
  moved.item_key = "101#moved";
  moved.previous_key = "WRKA-1";
  apply({moved});
  // The run ends well: its start is when the project was last known to match.
  runs->mark_fetch_complete("r1", 2, 7'000, {}, kNow + 100);
  ASSERT_EQ(runs->get_run("r1")->status, RunStatus::kSuccess);

  expect_same_as_the_seams("WRKB-7");
  expect_same_as_the_seams("WRKA-1");
  EXPECT_EQ(documents->find("WRKA-1")->ticket.issue.key, "WRKB-7");
  EXPECT_EQ(documents->find("WRKA-1")->local.notes.size(), 1u);
  EXPECT_FALSE(documents->find("WRKA-404"));
  EXPECT_FALSE(documents->find(""));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlIssueDocumentsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
