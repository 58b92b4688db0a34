// ticket_labels (migration 12): the writer's apply path keeps it in step with
// tickets.labels, in sync and in rebuild (replay) mode, and the migration
// fills it on a cache that already has data.
#include "common/store/ticket_labels.hpp"

#include <gtest/gtest.h>

#include "common/store/sql_cache_rebuild.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::snapshot;
using Labels = std::vector<std::string>;

class TicketLabelsTest : public testing::StoreTest {
 protected:
  Labels labels_of(const std::string& id) {
    auto lock = db()->lock();
    Labels out;
    for (const SqlRow& r :
         SqlQuery("SELECT label FROM ticket_labels WHERE ticket_id = ? ORDER BY label")
             .arg(id)
             .fetch(db()->session(), "t")) {
      out.push_back(r.text(0));
    }
    return out;
  }
  void execute(const std::string& sql) {
    auto lock = db()->lock();
    SqlQuery(sql).execute(db()->session());
  }
};

TEST_P(TicketLabelsTest, NewVersionsReplaceTheLabelRowsTouchesAndDeletionsKeepThem) {
  testing::SqlTicketTables tickets(db());
  JiraIssue i = issue("1", "WRKA-1", 2000);
  i.labels = {"QA", "login", "qa"};  // "QA" and "qa" are one match key
  tickets.apply({snapshot("r1", i)}, "", {}, 10);
  tickets.apply({snapshot("r1", issue("2", "WRKA-2", 2000))}, "", {}, 10);
  EXPECT_EQ(labels_of("1"), (Labels{"login", "qa"}));
  EXPECT_EQ(labels_of("2"), (Labels{"login", "qa"}));

  i.updated_ms = 3000;
  i.labels = {"Release-2"};
  tickets.apply({snapshot("r2", i, DecisionKind::kUpdate)}, "", {}, 20);
  EXPECT_EQ(labels_of("1"), (Labels{"release-2"}));
  EXPECT_EQ(labels_of("2"), (Labels{"login", "qa"}));  // another ticket's rows stay

  i.updated_ms = 4000;
  i.labels = {};
  tickets.apply({snapshot("r3", i, DecisionKind::kUpdate)}, "", {}, 30);
  EXPECT_EQ(labels_of("1"), Labels{});

  // A deletion keeps the row (and its labels), as it keeps the ticket.
  tickets.apply({testing::plain("r4", DecisionKind::kDelete, "2")}, "", {}, 40);
  EXPECT_EQ(labels_of("2"), (Labels{"login", "qa"}));
}

TEST_P(TicketLabelsTest, ARebuildWritesTheLabelsOfWhatItRewrites) {
  testing::SqlTicketTables tickets(db());
  SqlCacheRebuild rebuild(db());
  const JiraIssue i = issue("1", "WRKA-1", 2000);
  tickets.apply({snapshot("r1", i)}, "", {}, 10);
  // Replay onto an emptied cache.
  execute("DELETE FROM tickets");
  execute("DELETE FROM ticket_labels");
  EXPECT_EQ(rebuild.apply({snapshot("", i, DecisionKind::kUpdate)}, 20), 1);
  EXPECT_EQ(labels_of("1"), (Labels{"login", "qa"}));

  JiraIssue newer = i;
  newer.updated_ms = 3000;
  newer.labels = {"Hotfix"};
  EXPECT_EQ(rebuild.apply({snapshot("", newer, DecisionKind::kUpdate)}, 30), 1);
  EXPECT_EQ(labels_of("1"), (Labels{"hotfix"}));
}

TEST_P(TicketLabelsTest, MigrationTwelveFillsTheRowsOfACacheWithData) {
  // The schema before migration 12, with tickets in it.
  execute("DROP TABLE ticket_labels");
  execute("DELETE FROM schema_migrations WHERE version >= 12");
  execute(
      "INSERT INTO tickets (id, key, project, labels, created_ms, updated_ms, content_hash, "
      "first_seen_ms, last_synced_ms) VALUES "
      "('1', 'A-1', 'A', '[\"Backend\",\"urgent\",\"backend\"]', 0, 0, 'h', 0, 0), "
      "('2', 'A-2', 'A', '[]', 0, 0, 'h', 0, 0), "
      "('3', 'A-3', 'A', '[\"\\u00dcnicode\"]', 0, 0, 'h', 0, 0)");
  std::vector<Migration> twelve;
  for (const Migration& m : schema_migrations()) {
    if (m.version == 12) twelve.push_back(m);
  }
  ASSERT_EQ(twelve.size(), 1u);
  // Its ticket indexes are there already: only the label steps run again.
  std::erase_if(twelve[0].statements, [](const std::string& statement) {
    return statement.find("ticket_labels") == std::string::npos;
  });
  EXPECT_EQ(migrate(*db(), twelve), 1);
  EXPECT_EQ(labels_of("1"), (Labels{"backend", "urgent"}));
  EXPECT_EQ(labels_of("2"), Labels{});
  // ASCII lower case only, as the JQL compiler lowers its values.
  EXPECT_EQ(labels_of("3"), Labels{"\xc3\x9cnicode"});
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketLabelsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
