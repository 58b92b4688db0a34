// The writer's apply path in its rebuild mode (`jirasync replay`).
#include "common/store/sql_cache_rebuild.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

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

}  // namespace
}  // namespace jirasync
