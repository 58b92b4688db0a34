// Each conflict strategy settles a local override that Jira changed later.
#include <gtest/gtest.h>

#include <chrono>
#include <utility>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

struct Expected {
  std::string key;
  std::string strategy;
  std::string outcome;  // jira | local | manual
  bool edit_kept;
  std::string sync_status;
};

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(PipelineConflicts, EachStrategySettlesALocalOverrideThatJiraChanged) {
  PipelineHarness h;
  h.start_simulator("CJ:20,CL:20,CN:20,CM:20");
  h.configure(
      {.projects = {
           {"CJ", "JIRA_WINS"}, {"CL", "LOCAL_WINS"}, {"CN", "NEWEST_WINS"}, {"CM", "MANUAL"}}});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 4u);

  const std::vector<Expected> cases = {
      {"CJ-1", "JIRA_WINS", "jira", false, "synced"},
      {"CL-1", "LOCAL_WINS", "local", true, "synced"},
      {"CN-1", "NEWEST_WINS", "jira", false, "synced"},  // Jira changed after the edit
      {"CN-2", "NEWEST_WINS", "local", true, "synced"},  // Jira's change is older than the edit
      {"CM-1", "MANUAL", "manual", true, "conflict"},
  };
  const int64_t before_edits = now_ms();
  for (const auto& c : cases) {
    const auto r = h.cli({"edit", c.key, "summary", "local " + c.key});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  // Local tags and links must survive a sync that updates (CJ-1) and moves (CL-2) their issue.
  const auto updated = h.tickets().find_by_key("CJ-1");
  const auto to_move = h.tickets().find_by_key("CL-2");
  ASSERT_TRUE(updated && to_move);
  const LinkTarget test_case{"testcase", "TC-17"};
  for (const auto* t : {&*updated, &*to_move}) {
    h.tickets().add_tags(t->id, {"e2e", "flaky"}, now_ms());
    ASSERT_TRUE(h.tickets().add_link(t->id, test_case, now_ms()));
  }
  auto moved = h.sim().control("POST", "/__sim/issues/CL-2/move", R"({"project":"CJ"})");
  const std::string moved_key = moved["key"].GetString();
  ASSERT_NE(moved_key, "CL-2");
  for (const auto& c : cases) {
    std::string fields = R"({"summary":"jira )" + c.key + R"(")";
    // Stamp CN-2's Jira change before the local edit; the rest get "now" (after it).
    if (c.key == "CN-2") fields += R"(,"updated":)" + std::to_string(before_edits - 5000);
    h.sim().update_issue(c.key, fields + "}");
  }
  ASSERT_EQ(h.sync({"--incremental"}).size(), 4u);

  for (const auto& c : cases) {
    SCOPED_TRACE(c.key + " " + c.strategy);
    const auto ticket = h.tickets().find_by_key(c.key);
    ASSERT_TRUE(ticket);
    // The cache always holds Jira's value; the override lives beside it.
    EXPECT_EQ(ticket->issue.summary, "jira " + c.key);
    const auto conflicts = h.tickets().conflicts(ticket->id, false);
    ASSERT_EQ(conflicts.size(), 1u);
    EXPECT_EQ(conflicts[0].field, "summary");
    EXPECT_EQ(conflicts[0].strategy, c.strategy);
    EXPECT_EQ(conflicts[0].outcome, c.outcome);
    EXPECT_EQ(conflicts[0].local_value, "local " + c.key);
    EXPECT_EQ(conflicts[0].jira_value, "jira " + c.key);
    EXPECT_EQ(conflicts[0].open, c.outcome == "manual");
    const auto edits = h.tickets().local_edits({ticket->id});
    const bool kept = edits.count(ticket->id) && !edits.at(ticket->id).empty();
    EXPECT_EQ(kept, c.edit_kept);
    bool status_found = false;
    for (const auto& t : h.tickets().list(ticket->issue.project_key, 1000)) {
      if (t.id != ticket->id) continue;
      status_found = true;
      EXPECT_EQ(t.sync_status, c.sync_status);
    }
    EXPECT_TRUE(status_found);
  }

  for (const auto& [id, key] :
       {std::pair{updated->id, std::string("CJ-1")}, std::pair{to_move->id, moved_key}}) {
    SCOPED_TRACE("local data of " + key);
    const auto t = h.tickets().find_by_key(key);
    ASSERT_TRUE(t) << key << " is not in the cache";
    EXPECT_EQ(t->id, id);
    EXPECT_EQ(h.tickets().tags(id), (std::vector<std::string>{"e2e", "flaky"}));
    const auto links = h.tickets().links(id);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].target, test_case);
  }
  EXPECT_EQ(h.tickets().find_by_key("CJ-1")->issue.summary, "jira CJ-1");
  const auto linked = h.tickets().linked_tickets(test_case);
  ASSERT_EQ(linked.size(), 2u);
  EXPECT_EQ(linked[0].key + " " + linked[1].key, "CJ-1 " + moved_key);

  // Issues without a local edit never conflict.
  EXPECT_EQ(h.tickets().conflicts("", false).size(), cases.size());
  const auto listed = h.cli({"conflicts"});
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_NE(listed.output.find("CM-1"), std::string::npos) << listed.output;
}

}  // namespace
}  // namespace jirasync::e2e
