// The fields of migration 5 in the cache: ticket columns and the comment,
// link, subtask and attachment tables, replaced whole with every new version
// of an issue.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/hash/content_hash.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::queued_run;
using testing::snapshot;
using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

JiraIssue with_everything(const std::string& id, const std::string& key, int64_t updated_ms) {
  JiraIssue i = issue(id, key, updated_ms);
  i.due_date = "2026-02-01";
  i.creator = JiraUser{"acc-3", "Creator Name"};
  i.affected_versions = {"1.4", "1.5 \"beta\""};
  i.environment_adf = R"({"content":[],"type":"doc","version":1})";
  i.environment_text = "Safari 17, macOS 14";
  i.comments = {
      {"c1", JiraUser{"acc-1", "Ada Lovelace"}, R"({"type":"doc"})", "first", 2'000, 2'500},
      {"c2", std::nullopt, "", "", 3'000, 3'000},
      {"c3", JiraUser{"acc-2", "Grace Hopper"}, R"({"v":1})", "third ✓", 4'000, 4'000},
  };
  i.links = {{"l1", "Blocks", "outward", "blocks", "900", "WRKA-900"},
             {"l2", "Relates", "inward", "relates to", "901", "WRKB-1"}};
  i.subtasks = {{"202", "WRKA-12"}, {"201", "WRKA-11"}};  // Jira's rank order, not by id
  i.attachments = {{"a1", "console.log", "text/plain", 2048, 2'100, JiraUser{"acc-1", "Ada"}},
                   {"a2", "shot.png", "image/png", 0, 2'200, std::nullopt}};
  i.time_tracking = {28'800, 7'200, std::nullopt};
  return i;
}

class TicketChildrenTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<testing::SqlTicketTables>(db());
    runs = std::make_unique<SqlRunStore>(db());
    for (const char* id : {"r1", "r2", "r3"}) {
      runs->create_run(queued_run(id, std::string("P") + id, kNow));
      runs->mark_running(id, kNow, -1);
    }
  }
  void apply(std::vector<Decision> batch) { store->apply(batch, "writer", {}, kNow); }
  int64_t number(const std::string& sql) {
    auto lock = db()->lock();
    return SqlQuery(sql).fetch_one(db()->session(), "i")->i64(0);
  }
  std::vector<std::string> texts(const std::string& sql) {
    auto lock = db()->lock();
    std::vector<std::string> out;
    for (const SqlRow& r : SqlQuery(sql).fetch(db()->session(), "t")) out.push_back(r.text(0));
    return out;
  }
  std::unique_ptr<testing::SqlTicketTables> store;
  std::unique_ptr<SqlRunStore> runs;
};

TEST_P(TicketChildrenTest, EveryNewFieldRoundTrips) {
  const JiraIssue i = with_everything("101", "WRKA-1", 5'000);
  apply({snapshot("r1", i)});
  EXPECT_EQ(store->load({"101"}).at("101").issue, i);
  auto shown = store->find_by_key("WRKA-1");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->issue, i);

  // The columns the JQL compiler reads, by their agreed names and shapes.
  EXPECT_EQ(texts("SELECT due_date FROM tickets WHERE id = '101'"),
            std::vector<std::string>{"2026-02-01"});
  EXPECT_EQ(texts("SELECT creator_id FROM tickets WHERE id = '101'"),
            std::vector<std::string>{"acc-3"});
  EXPECT_EQ(texts("SELECT creator_name FROM tickets WHERE id = '101'"),
            std::vector<std::string>{"Creator Name"});
  EXPECT_EQ(texts("SELECT affected_versions FROM tickets WHERE id = '101'"),
            std::vector<std::string>{R"(["1.4","1.5 \"beta\""])"});
  EXPECT_EQ(texts("SELECT environment_text FROM tickets WHERE id = '101'"),
            std::vector<std::string>{"Safari 17, macOS 14"});
  EXPECT_EQ(texts("SELECT body_text FROM ticket_comments WHERE ticket_id = '101' "
                  "ORDER BY created_ms"),
            (std::vector<std::string>{"first", "", "third ✓"}));
  EXPECT_EQ(number("SELECT updated_ms FROM ticket_comments WHERE comment_id = 'c1'"), 2'500);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE author_id IS NULL"), 1);
  EXPECT_EQ(number("SELECT size_bytes FROM ticket_attachments WHERE attachment_id = 'a1'"), 2048);
  EXPECT_EQ(texts("SELECT other_key FROM ticket_links WHERE ticket_id = '101' AND "
                  "direction = 'outward'"),
            std::vector<std::string>{"WRKA-900"});
  EXPECT_EQ(number("SELECT time_original_estimate_s FROM tickets WHERE id = '101'"), 28'800);
  EXPECT_EQ(number("SELECT COUNT(*) FROM tickets WHERE time_spent_s IS NULL"), 1);
}

TEST_P(TicketChildrenTest, AnIssueWithoutThemStoresDefaults) {
  apply({snapshot("r1", issue("101", "WRKA-1", 5'000))});
  EXPECT_EQ(number("SELECT COUNT(*) FROM tickets WHERE due_date IS NULL AND creator_id IS NULL "
                   "AND affected_versions = '[]' AND environment_text = ''"),
            1);
  EXPECT_EQ(store->find_by_key("WRKA-1")->issue, issue("101", "WRKA-1", 5'000));
}

TEST_P(TicketChildrenTest, ANewVersionReplacesEveryListAndLeavesNothingBehind) {
  const JiraIssue first = with_everything("101", "WRKA-1", 5'000);
  const JiraIssue neighbour = with_everything("102", "WRKA-2", 5'000);
  apply({snapshot("r1", first), snapshot("r1", neighbour)});

  JiraIssue second = first;
  second.updated_ms = 6'000;
  second.summary = "edited";
  second.comments.erase(second.comments.begin());  // deleted in Jira
  second.comments[0].body_text = "now with text";  // edited
  second.comments.push_back({"c4", JiraUser{"acc-1", "Ada"}, "", "new", 5'900, 5'900});
  second.links = {{"l3", "Clones", "outward", "clones", "903", "WRKA-903"}};
  second.subtasks.clear();
  second.attachments.pop_back();
  second.due_date.reset();
  second.time_tracking = {};
  Decision d = snapshot("r2", second, DecisionKind::kUpdate);
  d.item_key = "101@6000";
  apply({d});

  auto shown = store->find_by_key("WRKA-1");
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->issue, second);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = '101'"), 3);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE comment_id = 'c1'"), 1)
      << "only the neighbour's c1 is left";
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_links WHERE ticket_id = '101'"), 1);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_subtasks WHERE ticket_id = '101'"), 0);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_attachments WHERE ticket_id = '101'"), 1);
  // The neighbour is untouched.
  EXPECT_EQ(store->find_by_key("WRKA-2")->issue, neighbour);
  // The history says which lists changed, without repeating them.
  const auto history = store->changes("101");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_THAT(history.back().detail, ::testing::HasSubstr("\"comments\":{}"));
  EXPECT_THAT(history.back().detail, ::testing::HasSubstr("\"links\":{}"));
  EXPECT_THAT(history.back().detail,
              ::testing::HasSubstr("\"due_date\":{\"old\":\"2026-02-01\",\"new\":null}"));
}

TEST_P(TicketChildrenTest, ATouchOrADeletionKeepsTheLists) {
  const JiraIssue first = with_everything("101", "WRKA-1", 5'000);
  apply({snapshot("r1", first)});
  JiraIssue touched = first;
  touched.updated_ms = 7'000;
  Decision skip = snapshot("r2", touched, DecisionKind::kSkip);
  skip.content_hash = testing::hash_of(first);  // same content, newer `updated`
  skip.item_key = "101@7000";
  apply({skip});
  EXPECT_EQ(number("SELECT updated_ms FROM tickets WHERE id = '101'"), 7'000);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = '101'"), 3);

  Decision gone = testing::plain("r3", DecisionKind::kDelete, "101");
  apply({gone});
  EXPECT_EQ(number("SELECT COUNT(*) FROM tickets WHERE id = '101' AND deleted = 1"), 1);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = '101'"), 3)
      << "a deleted ticket keeps what it last had, like its other columns";
}

TEST_P(TicketChildrenTest, TheFirstFetchAfterTheUpgradeFillsTheNewFieldsWithoutAChange) {
  // A row written before migration 5: the old fields only, under the v1 hash.
  JiraIssue old_row = with_everything("101", "WRKA-1", 5'000);
  old_row.due_date.reset();
  old_row.creator.reset();
  old_row.affected_versions.clear();
  old_row.environment_adf.clear();
  old_row.environment_text.clear();
  old_row.comments.clear();
  old_row.links.clear();
  old_row.subtasks.clear();
  old_row.attachments.clear();
  old_row.time_tracking = {};
  Decision before = snapshot("r1", old_row);
  before.content_hash = legacy_content_hash(old_row);
  apply({before});

  // Jira unchanged; this version reads (and hashes) the new fields too.
  const JiraIssue now = with_everything("101", "WRKA-1", 5'000);
  Decision refetched = snapshot("r2", now, DecisionKind::kUpdate);
  refetched.content_hash = content_hash(now);
  refetched.item_key = "101@5000";
  apply({refetched});

  EXPECT_EQ(store->find_by_key("WRKA-1")->issue, now);
  EXPECT_EQ(number("SELECT COUNT(*) FROM ticket_comments WHERE ticket_id = '101'"), 3);
  EXPECT_EQ(texts("SELECT content_hash FROM tickets WHERE id = '101'"),
            std::vector<std::string>{content_hash(now)});
  // Not a change in Jira: no history row, counted as unchanged.
  EXPECT_EQ(store->changes("101").size(), 1u);
  EXPECT_EQ(runs->get_run("r2")->stats.updated, 0);
  EXPECT_EQ(runs->get_run("r2")->stats.unchanged, 1);

  // A real change that arrives with the backfill is an update as always.
  JiraIssue other = old_row;
  other.id = "102";
  other.key = "WRKA-2";
  Decision other_before = snapshot("r1", other);
  other_before.content_hash = legacy_content_hash(other);
  other_before.item_key = "102";
  apply({other_before});
  JiraIssue edited = with_everything("102", "WRKA-2", 6'000);
  edited.summary = "edited in Jira";
  Decision update = snapshot("r3", edited, DecisionKind::kUpdate);
  update.content_hash = content_hash(edited);
  update.item_key = "102@6000";
  apply({update});
  EXPECT_EQ(store->changes("102").size(), 2u);
  EXPECT_EQ(runs->get_run("r3")->stats.updated, 1);
}

TEST_P(TicketChildrenTest, LinksAndSubtasksFollowWhatTheCacheKnowsOfTheOtherIssue) {
  JiraIssue parent = with_everything("101", "WRKA-1", 5'000);
  parent.links = {{"l1", "Blocks", "outward", "blocks", "900", "WRKA-900"},
                  {"l2", "Relates", "inward", "relates to", "901", "WRKA-901"},
                  {"l3", "Relates", "inward", "relates to", "902", "OTHER-1"}};  // not cached
  parent.subtasks = {{"201", "WRKA-11"}, {"202", "WRKA-12"}};
  apply({snapshot("r1", parent), snapshot("r1", issue("900", "WRKA-900", 5'000)),
         snapshot("r1", issue("901", "WRKA-901", 5'000)),
         snapshot("r1", issue("201", "WRKA-11", 5'000)),
         snapshot("r1", issue("202", "WRKA-12", 5'000))});
  // 900 and sub-task 201 move to another project, 901 and sub-task 202 are
  // deleted; Jira leaves the parent's `updated` (and so its row) alone.
  Decision moved = snapshot("r2", issue("900", "WRKB-3", 6'000), DecisionKind::kMove);
  moved.item_key = "900@6000";
  Decision moved_sub = snapshot("r2", issue("201", "WRKB-4", 6'000), DecisionKind::kMove);
  moved_sub.item_key = "201@6000";
  apply({moved, moved_sub, testing::plain("r3", DecisionKind::kDelete, "901"),
         testing::plain("r3", DecisionKind::kDelete, "202")});

  const JiraIssue shown = store->find_by_key("WRKA-1")->issue;
  ASSERT_EQ(shown.links.size(), 2u);
  EXPECT_EQ(shown.links[0].other_key, "WRKB-3");
  EXPECT_EQ(shown.links[1].other_key, "OTHER-1");
  EXPECT_EQ(shown.subtasks, (std::vector<JiraSubtaskRef>{{"201", "WRKB-4"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, TicketChildrenTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
