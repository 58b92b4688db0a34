#include "common/store/sql_change_feed.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using testing::issue;
using testing::plain;
using testing::queued_run;
using testing::snapshot;
using testing::StoreTest;

constexpr int64_t kT0 = 1'700'000'000'000;

class SqlChangeFeedTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    store = std::make_unique<testing::SqlTicketTables>(db());
    runs = std::make_unique<SqlRunStore>(db());
    feed = std::make_unique<SqlChangeFeed>(db());
    runs->create_run(queued_run("r1", "WRKA", kT0));
    runs->mark_running("r1", kT0, -1);
  }
  // Each apply is its own item so the store never skips it as a redelivery.
  void apply(Decision d, int64_t at_ms) {
    d.item_key = d.issue_id + "@" + std::to_string(at_ms) + "#" + std::to_string(++seq);
    store->apply({d}, "writer", {}, at_ms);
  }
  std::map<std::string, std::string> badges(int64_t since_ms, std::set<ChangeBadge> kinds = {}) {
    std::map<std::string, std::string> out;
    for (const FeedEntry& e : feed->changes_since({since_ms, "", kinds, 100}))
      out[e.key] = to_string(e.badge);
    return out;
  }
  Decision changed(const std::string& id, const std::string& key, int64_t updated,
                   const std::string& summary, DecisionKind kind) {
    return snapshot("r1", issue(id, key, updated, summary), kind);
  }

  int seq = 0;
  std::unique_ptr<testing::SqlTicketTables> store;
  std::unique_ptr<SqlRunStore> runs;
  std::unique_ptr<SqlChangeFeed> feed;
};

TEST_P(SqlChangeFeedTest, BadgesAcrossUpdateSignificantMoveDeleteAndRecreate) {
  for (const char* id : {"1", "2", "3", "4", "5"})
    apply(snapshot("r1", issue(id, std::string("WRKA-") + id, 5'000)), kT0);
  EXPECT_EQ(badges(kT0 - 1).size(), 5u);
  EXPECT_EQ(badges(kT0 - 1).at("WRKA-1"), "new");
  EXPECT_TRUE(badges(kT0).empty()) << "nothing after the first sync";

  JiraIssue updated = issue("1", "WRKA-1", 6'000);
  updated.status = "Done";
  apply(snapshot("r1", updated, DecisionKind::kUpdate), kT0 + 10);
  apply(changed("2", "WRKA-2", 6'000, "Login fails on Safari", DecisionKind::kSignificant),
        kT0 + 10);
  auto move = changed("3", "WRKB-9", 6'000, "Login fails", DecisionKind::kMove);
  move.previous_key = "WRKA-3";
  apply(move, kT0 + 10);
  auto del = plain("r1", DecisionKind::kDelete, "del");
  del.issue_ids = {"4", "5"};
  apply(del, kT0 + 10);
  // 5 comes back (a sweep had lost it): badged by how it came back, not deleted.
  apply(changed("5", "WRKA-5", 7'000, "Login fails", DecisionKind::kUpdate), kT0 + 20);

  const auto since_first = badges(kT0);
  EXPECT_EQ(since_first.at("WRKA-1"), "updated");
  EXPECT_EQ(since_first.at("WRKA-2"), "significant");
  EXPECT_EQ(since_first.at("WRKB-9"), "moved");
  EXPECT_EQ(since_first.at("WRKA-4"), "deleted");
  EXPECT_EQ(since_first.at("WRKA-5"), "updated");
  // Across the whole history, what was created in the window stays new.
  EXPECT_EQ(badges(kT0 - 1).at("WRKA-2"), "new");
  EXPECT_EQ(badges(kT0 - 1).at("WRKA-4"), "deleted");
  // Filters by kind and project.
  EXPECT_EQ(badges(kT0, {ChangeBadge::kMoved, ChangeBadge::kDeleted}).size(), 2u);
  EXPECT_EQ(feed->changes_since({kT0, "WRKB", {}, 100}).size(), 1u);
  // Newest change first.
  EXPECT_EQ(feed->changes_since({kT0, "", {}, 1}).front().key, "WRKA-5");
}

TEST_P(SqlChangeFeedTest, LastLookIsPerViewer) {
  EXPECT_FALSE(feed->last_look("ada"));
  feed->mark_seen("ada", kT0);
  feed->mark_seen("ada", kT0 + 5);
  feed->mark_seen("bob", kT0 + 1);
  EXPECT_EQ(feed->last_look("ada"), kT0 + 5);
  EXPECT_EQ(feed->last_look("bob"), kT0 + 1);
  EXPECT_THROW(feed->mark_seen("", kT0), std::invalid_argument);
}

TEST_P(SqlChangeFeedTest, LinkBadgesAreRelativeToTheLastReview) {
  for (const char* id : {"1", "2", "3", "4"})
    apply(snapshot("r1", issue(id, std::string("WRKA-") + id, 5'000)), kT0);
  const LinkTarget tc{"testcase", "TC-17"};
  for (const char* id : {"1", "2", "3"}) store->add_link(id, tc, kT0);
  auto badge_map = [&] {
    std::map<std::string, std::string> out;
    for (const ReviewedLink& l : feed->reviewed_links(tc))
      out[l.ticket.key] = l.badge ? to_string(*l.badge) : "-";
    return out;
  };
  EXPECT_EQ(badge_map().at("WRKA-1"), "new") << "never reviewed";
  EXPECT_FALSE(feed->reviewed_at(tc));
  EXPECT_EQ(feed->mark_reviewed(tc, kT0 + 1), 3);
  EXPECT_EQ(feed->reviewed_at(tc), kT0 + 1);
  EXPECT_EQ(badge_map(), (std::map<std::string, std::string>{
                             {"WRKA-1", "-"}, {"WRKA-2", "-"}, {"WRKA-3", "-"}}));

  JiraIssue updated = issue("1", "WRKA-1", 6'000);
  updated.status = "Done";
  apply(snapshot("r1", updated, DecisionKind::kUpdate), kT0 + 10);
  apply(changed("2", "WRKA-2", 6'000, "Login fails on Safari", DecisionKind::kSignificant),
        kT0 + 10);
  // A significant change and its revert since the review is no significant change.
  apply(changed("3", "WRKA-3", 6'000, "Typo", DecisionKind::kSignificant), kT0 + 10);
  apply(changed("3", "WRKA-3", 7'000, "Login fails", DecisionKind::kSignificant), kT0 + 11);
  store->add_link("4", tc, kT0 + 12);  // linked after the review
  EXPECT_EQ(badge_map(), (std::map<std::string, std::string>{{"WRKA-1", "updated"},
                                                             {"WRKA-2", "significant"},
                                                             {"WRKA-3", "updated"},
                                                             {"WRKA-4", "new"}}));
  EXPECT_EQ(feed->mark_reviewed(tc, kT0 + 20), 4);
  for (const auto& [key, badge] : badge_map()) EXPECT_EQ(badge, "-") << key;
}

TEST_P(SqlChangeFeedTest, LabelComponentAndVersionChangesKeepOldAndNewValues) {
  apply(snapshot("r1", issue("1", "WRKA-1", 5'000)), kT0);
  JiraIssue next = issue("1", "WRKA-1", 6'000);
  next.labels = {"qa", "safari"};
  next.components = {};
  next.fix_versions = {"2.0"};
  apply(snapshot("r1", next, DecisionKind::kUpdate), kT0 + 10);
  const std::string detail = store->changes("1").back().detail;
  EXPECT_THAT(detail, HasSubstr(R"("labels":{"old":["qa","login"],"new":["qa","safari"]})"));
  EXPECT_THAT(detail, HasSubstr(R"("components":{"old":["web"],"new":[]})"));
  EXPECT_THAT(detail, HasSubstr(R"("fix_versions":{"old":[],"new":["2.0"]})"));
  EXPECT_EQ(feed->changes_since({kT0, "", {}, 10}).front().detail, detail);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlChangeFeedTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
