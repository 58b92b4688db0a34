// The writer's apply path in its rebuild mode (`jirasync replay`).
#include "common/store/sql_cache_rebuild.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "common/store/sql_query.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::snapshot;

class CacheRebuildTest : public ::testing::Test {
 protected:
  CacheRebuildTest() : scratch(Backend::kSqlite), tickets(scratch.db()), rebuild(scratch.db()) {}

  // A replayed snapshot: no run, as `jirasync replay` sends it.
  static Decision replayed(const JiraIssue& i) { return snapshot("", i, DecisionKind::kUpdate); }

  std::string column(const std::string& name, const std::string& id) {
    auto lock = scratch.db()->lock();
    std::string value;
    scratch.db()->session() << "SELECT " + name + " FROM tickets WHERE id = :id", soci::use(id),
        soci::into(value);
    return value;
  }
  void execute(const std::string& sql) {
    auto lock = scratch.db()->lock();
    scratch.db()->session() << sql;
  }

  testing::ScratchDatabase scratch;
  testing::SqlTicketTables tickets;
  SqlCacheRebuild rebuild;
};

TEST_F(CacheRebuildTest, RewritesAnUnchangedRowSoAColumnAMigrationLeftEmptyIsFilled) {
  const JiraIssue i = issue("1", "WRKA-1", 2000);
  tickets.apply({snapshot("r1", i)}, "", {}, 10);
  execute("UPDATE tickets SET custom_fields = '{}'");
  // A sync skips it (same content hash): the column stays empty.
  tickets.apply({snapshot("r2", i, DecisionKind::kUpdate)}, "", {}, 20);
  ASSERT_EQ(column("custom_fields", "1"), "{}");

  EXPECT_EQ(rebuild.apply({replayed(i)}, 30), 1);
  EXPECT_EQ(tickets.load({"1"}).at("1").issue, i);
}

TEST_F(CacheRebuildTest, AnOlderSnapshotNeverOverwritesAndNothingGoesToHistory) {
  tickets.apply({snapshot("r1", issue("1", "WRKA-1", 2000, "newer"))}, "", {}, 10);
  const size_t history = tickets.changes("1").size();
  EXPECT_EQ(rebuild.apply({replayed(issue("1", "WRKA-1", 1000, "older"))}, 20), 0);
  EXPECT_EQ(tickets.load({"1"}).at("1").issue.summary, "newer");
  EXPECT_EQ(rebuild.apply({replayed(issue("1", "WRKA-1", 3000, "newest"))}, 30), 1);
  EXPECT_EQ(tickets.load({"1"}).at("1").issue.summary, "newest");
  EXPECT_EQ(tickets.changes("1").size(), history);
}

TEST_F(CacheRebuildTest, ADeletedRowStaysDeletedUnlessTheSnapshotIsNewer) {
  const JiraIssue i = issue("1", "WRKA-1", 2000);
  tickets.apply({snapshot("r1", i)}, "", {}, 10);
  Decision gone = testing::plain("r2", DecisionKind::kDelete, "1");
  tickets.apply({gone}, "", {}, 20);
  ASSERT_TRUE(tickets.load({"1"}).at("1").deleted);

  rebuild.apply({replayed(i)}, 30);
  EXPECT_TRUE(tickets.load({"1"}).at("1").deleted);
  rebuild.apply({replayed(issue("1", "WRKA-1", 2500))}, 40);
  EXPECT_FALSE(tickets.load({"1"}).at("1").deleted);
}

TEST_F(CacheRebuildTest, AnEmptiedRowComesBackWithItsOpenConflictAndLocalData) {
  const JiraIssue i = issue("1", "WRKA-1", 2000);
  tickets.apply({snapshot("r1", i)}, "", {}, 10);
  tickets.add_note("1", "seen on staging", 11);
  Decision changed =
      snapshot("r2", issue("1", "WRKA-1", 3000, "changed in Jira"), DecisionKind::kSignificant);
  changed.conflicts = {{"summary", "mine", "changed in Jira", ConflictStrategy::kManual, "manual"}};
  tickets.apply({changed}, "", {}, 20);
  ASSERT_EQ(column("sync_status", "1"), "conflict");

  execute("DELETE FROM tickets");
  EXPECT_EQ(rebuild.apply({replayed(*changed.issue)}, 30), 1);
  EXPECT_EQ(column("sync_status", "1"), "conflict");
  EXPECT_EQ(tickets.conflicts("1", true).size(), 1u);
  EXPECT_EQ(tickets.notes("1").size(), 1u);
}

// The same rules on either backend (store_pg_test runs them on PostgreSQL),
// and what a rebuild leaves alone: an identical row is not written again.
class CacheRebuildWriteTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    tickets = std::make_unique<testing::SqlTicketTables>(db());
    rebuild = std::make_unique<SqlCacheRebuild>(db());
  }
  static Decision replayed(const JiraIssue& i) { return snapshot("", i, DecisionKind::kUpdate); }
  static JiraIssue with_lists(const std::string& id, int64_t updated_ms) {
    JiraIssue i = issue(id, "WRKA-" + id, updated_ms);
    i.description_text = "the login page answers 500";
    i.comments = {{"c1", JiraUser{"acc-1", "Ada"}, R"({"type":"doc"})", "first", 2'000, 2'500},
                  {"c2", std::nullopt, "", "second", 3'000, 3'000}};
    i.links = {{"l1", "Blocks", "outward", "blocks", "900", "WRKA-900"}};
    i.subtasks = {{"202", "WRKA-12"}};
    i.attachments = {{"a1", "console.log", "text/plain", 2048, 2'100, std::nullopt}};
    return i;
  }
  std::vector<std::string> texts(const std::string& sql) {
    auto lock = db()->lock();
    std::vector<std::string> out;
    for (const SqlRow& r : SqlQuery(sql).fetch(db()->session(), "t")) out.push_back(r.text(0));
    return out;
  }
  void execute(const std::string& sql) {
    auto lock = db()->lock();
    SqlQuery(sql).execute(db()->session());
  }
  // Where each row of `table` is stored (ctid, xmin): a new row version moves
  // it. PostgreSQL only: SQLite gives a deleted and inserted row its rowid again.
  std::vector<std::string> versions(const std::string& table) {
    return texts("SELECT ctid::text || '/' || xmin::text FROM " + table + " ORDER BY 1");
  }
  std::unique_ptr<testing::SqlTicketTables> tickets;
  std::unique_ptr<SqlCacheRebuild> rebuild;
};

TEST_P(CacheRebuildWriteTest, AnIdenticalRewriteWritesNoNewRowVersion) {
  const JiraIssue i = with_lists("1", 2000);
  tickets->apply({snapshot("r1", i)}, "", {}, 10);
  const bool pg = GetParam() == Backend::kPostgres;
  std::map<std::string, std::vector<std::string>> before;
  for (const char* table :
       {"tickets", "ticket_comments", "ticket_links", "ticket_subtasks", "ticket_attachments"}) {
    if (pg) before[table] = versions(table);
  }

  EXPECT_EQ(rebuild->apply({replayed(i)}, 30), 1);
  for (const auto& [table, rows] : before) EXPECT_EQ(versions(table), rows) << table;
  EXPECT_EQ(tickets->load({"1"}).at("1").issue, i);
}

TEST_P(CacheRebuildWriteTest, AListColumnAMigrationLeftEmptyAndAMissingListRowAreFilled) {
  const JiraIssue i = with_lists("1", 2000);
  tickets->apply({snapshot("r1", i)}, "", {}, 10);
  execute("UPDATE ticket_comments SET body_text = '' WHERE comment_id = 'c1'");
  execute("DELETE FROM ticket_links");
  EXPECT_EQ(rebuild->apply({replayed(i)}, 30), 1);
  EXPECT_EQ(tickets->load({"1"}).at("1").issue, i);
}

TEST_P(CacheRebuildWriteTest, ANewerSnapshotReplacesTheListsAndLeavesNothingBehind) {
  const JiraIssue i = with_lists("1", 2000);
  tickets->apply({snapshot("r1", i)}, "", {}, 10);
  JiraIssue newer = with_lists("1", 3000);
  newer.summary = "edited";
  newer.comments.erase(newer.comments.begin());
  newer.links.clear();
  EXPECT_EQ(rebuild->apply({replayed(newer)}, 30), 1);
  EXPECT_EQ(tickets->load({"1"}).at("1").issue, newer);
  EXPECT_EQ(texts("SELECT comment_id FROM ticket_comments"), std::vector<std::string>{"c2"});
}

TEST_P(CacheRebuildWriteTest, ListsLeftInAnEmptiedCacheAreReplacedByTheSnapshots) {
  JiraIssue old = with_lists("1", 2000);
  old.comments.push_back({"c9", std::nullopt, "", "dropped later", 1'500, 1'500});
  tickets->apply({snapshot("r1", old)}, "", {}, 10);
  execute("DELETE FROM tickets");
  const JiraIssue i = with_lists("1", 2000);
  EXPECT_EQ(rebuild->apply({replayed(i)}, 30), 1);
  EXPECT_EQ(tickets->load({"1"}).at("1").issue, i);
  EXPECT_EQ(texts("SELECT comment_id FROM ticket_comments ORDER BY 1"),
            (std::vector<std::string>{"c1", "c2"}));
}

TEST_P(CacheRebuildWriteTest, AnEmptiedCacheLosesTheListRowsOfItsAbsentTickets) {
  JiraIssue i = with_lists("1", 2000);
  i.labels = {"regression"};
  tickets->apply({snapshot("r1", i)}, "", {}, 10);
  tickets->add_note("1", "seen on staging", 11);
  // Rows in tickets: nothing is removed.
  EXPECT_EQ(rebuild->clear_lists_of_absent_tickets(), 0);
  EXPECT_EQ(texts("SELECT comment_id FROM ticket_comments ORDER BY 1"),
            (std::vector<std::string>{"c1", "c2"}));

  execute("DELETE FROM tickets");
  // Two comments, a link, a sub-task, an attachment and a label.
  EXPECT_EQ(rebuild->clear_lists_of_absent_tickets(), 6);
  for (const char* table : {"ticket_comments", "ticket_links", "ticket_subtasks",
                            "ticket_attachments", "ticket_labels"}) {
    EXPECT_EQ(texts(std::string("SELECT CAST(COUNT(*) AS TEXT) FROM ") + table),
              std::vector<std::string>{"0"})
        << table;
  }
  // User state stays; the replayed snapshot brings its lists back.
  EXPECT_EQ(texts("SELECT text FROM notes"), std::vector<std::string>{"seen on staging"});
  EXPECT_EQ(rebuild->apply({replayed(i)}, 30), 1);
  EXPECT_EQ(tickets->load({"1"}).at("1").issue, i);
}

TEST_P(CacheRebuildWriteTest, AReplayedDeletionKeepsEveryColumnOfTheRow) {
  const JiraIssue i = with_lists("1", 2000);
  tickets->apply({snapshot("r1", i)}, "", {}, 10);
  Decision gone;
  gone.project = "WRKA";
  gone.kind = DecisionKind::kDelete;
  gone.issue_id = "1";
  // A snapshot of another ticket in the same batch is read with the compared
  // columns only; the deleted one is read whole.
  EXPECT_EQ(rebuild->apply({replayed(with_lists("2", 2000)), gone}, 30), 2);
  const auto cached = tickets->load({"1"}).at("1");
  EXPECT_TRUE(cached.deleted);
  EXPECT_EQ(cached.issue, i);
}

INSTANTIATE_TEST_SUITE_P(Backends, CacheRebuildWriteTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
