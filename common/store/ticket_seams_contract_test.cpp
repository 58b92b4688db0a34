// The CLI's seams of the ticket cache (TicketQueries, LocalTicketData) and
// their fakes in tests/fakes obey the same contract: every case runs on the
// SQL classes (SQLite here, PostgreSQL in store_pg_test) and on the fakes.
#include <gtest/gtest.h>

#include <memory>

#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"
#include "tests/fakes/fake_local_ticket_data.hpp"
#include "tests/fakes/fake_ticket_queries.hpp"

namespace jirasync {
namespace {

using testing::issue;
using testing::snapshot;

constexpr int64_t kNow = 1'700'000'000'000;

// One cache, filled the way its implementation is filled.
class CacheWorld {
 public:
  virtual ~CacheWorld() = default;
  virtual TicketQueries& queries() = 0;
  virtual LocalTicketData& local() = 0;
  virtual void add(const JiraIssue& i) = 0;
  virtual void remove(const std::string& id) = 0;
  virtual void move(const std::string& id, const std::string& new_key, int64_t updated_ms) = 0;
  virtual void open_conflict(const std::string& id, const std::string& field) = 0;
  virtual std::vector<LocalEdit> edits(const std::string& id) = 0;
};

class SqlWorld final : public CacheWorld {
 public:
  explicit SqlWorld(Backend backend) : scratch_(backend), tables_(scratch_.db()) {}
  TicketQueries& queries() override { return tables_; }
  LocalTicketData& local() override { return tables_; }
  void add(const JiraIssue& i) override {
    issues_[i.id] = i;
    tables_.apply({snapshot("", i)}, "test", {}, kNow);
  }
  void remove(const std::string& id) override {
    Decision d;
    d.kind = DecisionKind::kDelete;
    d.issue_id = id;
    tables_.apply({d}, "test", {}, kNow);
  }
  void move(const std::string& id, const std::string& new_key, int64_t updated_ms) override {
    JiraIssue& i = issues_.at(id);
    i.key = new_key;
    i.project_key = new_key.substr(0, new_key.find('-'));
    i.updated_ms = updated_ms;
    tables_.apply({snapshot("", i, DecisionKind::kMove)}, "test", {}, kNow);
  }
  void open_conflict(const std::string& id, const std::string& field) override {
    JiraIssue& i = issues_.at(id);
    i.updated_ms += 1;
    Decision d = snapshot("", i, DecisionKind::kUpdate);
    d.content_hash += "+";
    d.conflicts = {{field, "mine", "theirs", ConflictStrategy::kManual, "manual"}};
    tables_.apply({d}, "test", {}, kNow);
  }
  std::vector<LocalEdit> edits(const std::string& id) override {
    auto all = tables_.local_edits({id});
    return all.count(id) ? all[id] : std::vector<LocalEdit>{};
  }

 private:
  testing::ScratchDatabase scratch_;
  testing::SqlTicketTables tables_;
  std::map<std::string, JiraIssue> issues_;
};

class FakeWorld final : public CacheWorld {
 public:
  TicketQueries& queries() override { return queries_; }
  LocalTicketData& local() override { return local_; }
  void add(const JiraIssue& i) override {
    CachedTicket t;
    t.id = i.id;
    t.key = i.key;
    t.updated_ms = i.updated_ms;
    t.issue = i;
    queries_.tickets[i.id] = t;
    TicketSummary s;
    s.id = i.id;
    s.key = i.key;
    s.project = i.project_key;
    s.status = i.status;
    s.summary = i.summary;
    s.updated_ms = i.updated_ms;
    local_.tickets[i.id] = s;
  }
  void remove(const std::string& id) override {
    queries_.tickets[id].deleted = true;
    local_.tickets[id].deleted = true;
  }
  void move(const std::string& id, const std::string& new_key, int64_t updated_ms) override {
    CachedTicket& t = queries_.tickets.at(id);
    queries_.former_keys[t.key] = id;
    t.key = t.issue.key = new_key;
    t.issue.project_key = new_key.substr(0, new_key.find('-'));
    t.updated_ms = t.issue.updated_ms = updated_ms;
    local_.tickets[id].key = new_key;
    local_.tickets[id].project = t.issue.project_key;
  }
  void open_conflict(const std::string& id, const std::string& field) override {
    local_.all_conflicts.push_back(
        Conflict{next_conflict_++, id, field, "mine", "theirs", "MANUAL", "manual", true, kNow});
  }
  std::vector<LocalEdit> edits(const std::string& id) override {
    std::vector<LocalEdit> out;
    for (const auto& [field, e] : local_.edits[id]) out.push_back(e);
    return out;
  }

 private:
  fakes::FakeTicketQueries queries_;
  fakes::FakeLocalTicketData local_;
  int64_t next_conflict_ = 1;
};

enum class Side { kSql, kFake };

class TicketSeamsContract : public ::testing::TestWithParam<Side> {
 protected:
  void SetUp() override {
    if (GetParam() == Side::kFake) {
      world = std::make_unique<FakeWorld>();
      return;
    }
    const Backend backend = testing::store_test_backends().front();
    if (backend == Backend::kPostgres && testing::pg_test_url().empty()) {
      GTEST_SKIP() << "JIRASYNC_TEST_PG_URL is not set (scripts/services.sh start exports it)";
    }
    world = std::make_unique<SqlWorld>(backend);
  }
  std::unique_ptr<CacheWorld> world;
};

TEST_P(TicketSeamsContract, FindsByCurrentAndFormerKeyListsNewestFirstAndCountsTheLive) {
  world->add(issue("101", "WRKA-1", 5'000));
  world->add(issue("102", "WRKA-2", 6'000));
  world->add(issue("103", "WRKA-3", 7'000));
  world->remove("103");
  world->move("101", "WRKB-9", 8'000);
  TicketQueries& q = world->queries();

  ASSERT_TRUE(q.find_by_key("WRKA-2"));
  EXPECT_EQ(q.find_by_key("WRKA-2")->id, "102");
  ASSERT_TRUE(q.find_by_key("WRKA-1"));
  EXPECT_EQ(q.find_by_key("WRKA-1")->key, "WRKB-9");
  EXPECT_FALSE(q.find_by_key("WRKA-404"));
  EXPECT_EQ(q.current_keys({"101", "102", "404"}),
            (std::map<std::string, std::string>{{"101", "WRKB-9"}, {"102", "WRKA-2"}}));

  const auto listed = q.list("", 10);
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].key, "WRKB-9");  // most recently updated first
  EXPECT_TRUE(listed[1].deleted);
  EXPECT_EQ(q.list("", 2).size(), 2u);
  EXPECT_EQ(q.count("WRKA"), 1);
  EXPECT_EQ(q.count(""), 2);
  EXPECT_THROW(q.list("", 0), std::invalid_argument);
}

// The batched reads of a page (the Jira-compatible routes): the same rule as
// find_by_key, for many at once.
TEST_P(TicketSeamsContract, FindsManyByIdAndResolvesManyKeys) {
  JiraIssue commented = issue("101", "WRKA-1", 5'000);
  commented.comments = {JiraComment{"9001", JiraUser{"acc-1", "Ada"}, "", "first", 5'000, 5'000}};
  world->add(commented);
  world->add(issue("102", "WRKA-2", 6'000));
  world->add(issue("103", "WRKA-3", 7'000));
  world->remove("103");
  world->move("101", "WRKB-9", 8'000);
  TicketQueries& q = world->queries();

  const auto found = q.find_by_ids({"101", "102", "103", "404", "102"});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found.at("101").key, "WRKB-9");
  ASSERT_EQ(found.at("101").issue.comments.size(), 1u);
  EXPECT_EQ(found.at("101").issue.comments[0].body_text, "first");
  EXPECT_EQ(found.at("102").issue.summary, "Login fails");
  EXPECT_TRUE(found.at("103").deleted);
  EXPECT_TRUE(q.find_by_ids({}).empty());

  EXPECT_EQ(q.ids_of_keys({"WRKB-9", "WRKA-1", "WRKA-2", "WRKA-3", "WRKA-404"}),
            (std::map<std::string, std::string>{
                {"WRKB-9", "101"}, {"WRKA-1", "101"}, {"WRKA-2", "102"}, {"WRKA-3", "103"}}));
  EXPECT_TRUE(q.ids_of_keys({}).empty());
}

TEST_P(TicketSeamsContract, TagsAndLinksReportWhatChangedAndRefuseBadInput) {
  world->add(issue("101", "WRKA-1", 5'000));
  world->add(issue("102", "WRKA-2", 5'000));
  LocalTicketData& l = world->local();

  EXPECT_EQ(l.add_tags("101", {"flaky", "ios", "flaky"}, kNow),
            (std::vector<std::string>{"flaky", "ios"}));
  EXPECT_EQ(l.add_tags("101", {"ios", "regression"}, kNow),
            (std::vector<std::string>{"regression"}));
  EXPECT_EQ(l.remove_tags("101", {"ios", "never-there"}), (std::vector<std::string>{"ios"}));
  EXPECT_EQ(l.tags("101"), (std::vector<std::string>{"flaky", "regression"}));
  EXPECT_THROW(l.add_tags("101", {"two words"}, kNow), std::invalid_argument);
  EXPECT_THROW(l.add_tags("nope", {"good"}, kNow), std::invalid_argument);

  const LinkTarget tc{"testcase", "TC-17"};
  EXPECT_TRUE(l.add_link("102", tc, kNow));
  EXPECT_TRUE(l.add_link("101", tc, kNow + 1));
  EXPECT_FALSE(l.add_link("101", tc, kNow + 2));
  EXPECT_TRUE(l.add_link("101", {"run", "nightly-42"}, kNow + 3));
  EXPECT_EQ(l.links("101"), (std::vector<TicketLink>{{"101", {"run", "nightly-42"}, kNow + 3},
                                                     {"101", tc, kNow + 1}}));
  const auto linked = l.linked_tickets(tc);
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0].key, "WRKA-1");
  EXPECT_EQ(linked[1].key, "WRKA-2");
  EXPECT_TRUE(l.remove_link("101", tc));
  EXPECT_FALSE(l.remove_link("101", tc));
  EXPECT_THROW(l.add_link("nope", tc, kNow), std::invalid_argument);
  EXPECT_THROW(l.add_link("101", {"Bad Type", "x"}, kNow), std::invalid_argument);
}

TEST_P(TicketSeamsContract, EditsNotesAndResolvingAConflict) {
  world->add(issue("101", "WRKA-1", 5'000));
  LocalTicketData& l = world->local();

  l.put_local_edit({"101", "priority", "Low", kNow});
  l.put_local_edit({"101", "priority", "Lowest", kNow + 1});
  ASSERT_EQ(world->edits("101").size(), 1u);
  EXPECT_EQ(world->edits("101")[0].value, "Lowest");
  EXPECT_THROW(l.put_local_edit({"101", "", "x", kNow}), std::invalid_argument);
  EXPECT_THROW(l.put_local_edit({"nope", "summary", "x", kNow}), std::invalid_argument);

  l.add_note("101", "seen on staging", kNow);
  l.add_note("101", "fixed on main", kNow + 1);
  ASSERT_EQ(l.notes("101").size(), 2u);
  EXPECT_EQ(l.notes("101")[1].text, "fixed on main");
  EXPECT_THROW(l.add_note("101", "", kNow), std::invalid_argument);

  world->open_conflict("101", "priority");
  const auto open = l.conflicts("101", true);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].field, "priority");
  EXPECT_THROW(l.resolve_conflict(open[0].id, "mine", kNow), std::invalid_argument);
  EXPECT_THROW(l.resolve_conflict(open[0].id + 100, "jira", kNow), std::invalid_argument);
  l.resolve_conflict(open[0].id, "jira", kNow);
  EXPECT_TRUE(world->edits("101").empty()) << "taking Jira's value drops the local edit";
  EXPECT_TRUE(l.conflicts("101", true).empty());
  ASSERT_EQ(l.conflicts("", false).size(), 1u);
  EXPECT_EQ(l.conflicts("", false)[0].outcome, "resolved-jira");
  EXPECT_THROW(l.resolve_conflict(open[0].id, "jira", kNow), std::invalid_argument);
}

// All of a ticket's local data at once is what the five reads give, in their orders.
TEST_P(TicketSeamsContract, LocalDataOfOneTicketIsTheFiveReads) {
  world->add(issue("101", "WRKA-1", 5'000));
  world->add(issue("102", "WRKA-2", 5'000));
  LocalTicketData& l = world->local();
  l.put_local_edit({"101", "summary", "Mine", kNow});
  l.put_local_edit({"101", "priority", "Low", kNow + 1});
  l.put_local_edit({"102", "summary", "Other", kNow});
  l.add_note("101", "second by id? no, first", kNow);
  l.add_note("101", "a later note", kNow + 2);
  l.add_tags("101", {"zeta", "alpha"}, kNow);
  l.add_tags("102", {"beta"}, kNow);
  l.add_link("101", {"testcase", "TC-9"}, kNow);
  l.add_link("101", {"suite", "S-1"}, kNow + 3);
  world->open_conflict("101", "status");
  world->open_conflict("101", "assignee");

  const TicketLocalData all = l.local_data_of("101");
  auto edit_text = [](const std::vector<LocalEdit>& edits) {
    std::string out;
    for (const auto& e : edits) {
      out += e.ticket_id + "/" + e.field + "=" + e.value + "@" + std::to_string(e.edited_ms) + ";";
    }
    return out;
  };
  auto conflict_text = [](const std::vector<Conflict>& conflicts) {
    std::string out;
    for (const auto& c : conflicts) {
      out += std::to_string(c.id) + c.ticket_id + c.field + c.local_value + c.jira_value +
             c.strategy + c.outcome + (c.open ? "open" : "closed") + std::to_string(c.at_ms) + ";";
    }
    return out;
  };
  EXPECT_EQ(edit_text(all.edits), edit_text(world->edits("101")));
  EXPECT_EQ(all.edits.size(), 2u);
  EXPECT_EQ(all.notes, l.notes("101"));
  EXPECT_EQ(all.tags, (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(all.links, l.links("101"));
  EXPECT_EQ(all.links.size(), 2u);
  EXPECT_EQ(conflict_text(all.conflicts), conflict_text(l.conflicts("101", false)));
  EXPECT_EQ(all.conflicts.size(), 2u);
  const TicketLocalData none = l.local_data_of("404");
  EXPECT_TRUE(none.edits.empty() && none.notes.empty() && none.tags.empty() && none.links.empty() &&
              none.conflicts.empty());
}

TEST_P(TicketSeamsContract, LocalEditsAreListedAndDropped) {
  world->add(issue("101", "WRKA-1", 5'000));
  world->add(issue("102", "WRKA-2", 5'000));
  LocalTicketData& l = world->local();
  l.put_local_edit({"101", "summary", "Mine", kNow});
  l.put_local_edit({"101", "priority", "Low", kNow + 1});
  l.put_local_edit({"102", "priority", "High", kNow});
  const auto edits = l.local_edits_of("101");
  ASSERT_EQ(edits.size(), 2u);
  EXPECT_EQ(edits[0].field, "priority") << "by field";
  EXPECT_EQ(edits[0].value, "Low");
  EXPECT_EQ(edits[0].edited_ms, kNow + 1);
  EXPECT_EQ(edits[1].field, "summary");

  EXPECT_TRUE(l.remove_local_edit("101", "priority"));
  EXPECT_FALSE(l.remove_local_edit("101", "priority")) << "nothing left to drop";
  ASSERT_EQ(l.local_edits_of("101").size(), 1u);
  EXPECT_EQ(world->edits("101").size(), 1u);
  EXPECT_EQ(l.local_edits_of("102").size(), 1u) << "other tickets keep theirs";
  EXPECT_TRUE(l.local_edits_of("nope").empty());
  EXPECT_THROW(l.remove_local_edit("nope", "summary"), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Sides, TicketSeamsContract, ::testing::Values(Side::kSql, Side::kFake),
                         [](const ::testing::TestParamInfo<Side>& info) {
                           return info.param == Side::kSql ? "Sql" : "Fake";
                         });

}  // namespace
}  // namespace jirasync
