#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::issue;
using testing::utc_ms;
using Keys = std::vector<std::string>;

class JqlFields : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a1 = issue(1, "ABC-1");
    a1.issue_type = "Epic";
    a1.priority = "Highest";
    a1.assignee_id = "acc-alice";
    a1.labels = {"urgent", "Backend"};
    a1.components = {"API"};
    a1.fix_versions = {"1.0"};
    a1.old_keys = {"OLD-7"};

    auto a2 = issue(2, "ABC-2");
    a2.issue_type = "Sub-task";
    a2.subtask = true;
    a2.parent_id = 1;
    a2.status = "In Progress";
    a2.status_category = "indeterminate";
    a2.priority = "High";
    a2.assignee_id = "acc-bob";
    a2.labels = {"backend"};

    auto a10 = issue(10, "ABC-10");
    a10.issue_type = "Bug";
    a10.status = "Done";
    a10.status_category = "done";
    a10.priority = "Low";
    a10.resolution = "Done";
    a10.resolution_ms = utc_ms(2025, 1, 5, 12, 0);
    a10.reporter_id = "acc-alice";

    auto x1 = issue(11, "XYZ-1");
    x1.priority = "";
    x1.components = {"UI", "API"};
    x1.fix_versions = {"2.0"};

    auto x2 = issue(12, "XYZ-2");
    x2.priority = "Lowest";
    x2.assignee_id = "acc-alice";
    x2.parent_id = 11;
    x2.resolution = "Won't Do";
    x2.resolution_ms = utc_ms(2025, 1, 9, 12, 0);

    issues_ = {a1, a2, a10, x1, x2};
    ctx_.current_account_id = "acc-alice";
    ctx_.resolve_user = [](const std::string& name) -> std::string {
      static const std::map<std::string, std::string> kUsers{
          {"acc-alice", "acc-alice"},     {"alice@example.com", "acc-alice"},
          {"Alice Adams", "acc-alice"},   {"acc-bob", "acc-bob"},
          {"bob@example.com", "acc-bob"}, {"acc-rep", "acc-rep"},
      };
      auto it = kUsers.find(name);
      return it == kUsers.end() ? "" : it->second;
    };
    ctx_.resolve_issue_key = [](const std::string& key) -> int64_t {
      if (key == "ABC-1" || key == "abc-1") return 1;
      if (key == "XYZ-1") return 11;
      return 0;
    };
  }

  Keys match(const std::string& jql) { return testing::keys_matching(jql, issues_, ctx_); }

  std::vector<SimIssue> issues_;
  EvalContext ctx_;
};

TEST_F(JqlFields, Project) {
  EXPECT_EQ(match("project = ABC"), (Keys{"ABC-1", "ABC-2", "ABC-10"}));
  EXPECT_EQ(match("project = abc"), (Keys{"ABC-1", "ABC-2", "ABC-10"}));
  EXPECT_EQ(match("project = 10001"), (Keys{"XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("project != ABC"), (Keys{"XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("project in (XYZ, NOPE)"), (Keys{"XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("project not in (XYZ)"), (Keys{"ABC-1", "ABC-2", "ABC-10"}));
  EXPECT_TRUE(match("project is EMPTY").empty());
  EXPECT_EQ(match("project is not empty").size(), 5u);
}

TEST_F(JqlFields, KeyIssuekeyAndId) {
  EXPECT_EQ(match("key = ABC-2"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("issuekey = abc-2"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("key = OLD-7"), (Keys{"ABC-1"})) << "moved issues are found by old keys";
  EXPECT_EQ(match("key in (ABC-1, XYZ-2, 12)"), (Keys{"ABC-1", "XYZ-2"}));
  EXPECT_EQ(match("key not in (ABC-1, XYZ-2)"), (Keys{"ABC-2", "ABC-10", "XYZ-1"}));
  EXPECT_EQ(match("key != ABC-1"), (Keys{"ABC-2", "ABC-10", "XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("id = 10"), (Keys{"ABC-10"}));
  // Key order is numeric within the project, never across projects.
  EXPECT_EQ(match("key > ABC-2"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("key >= ABC-2"), (Keys{"ABC-2", "ABC-10"}));
  EXPECT_EQ(match("key < ABC-10"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(match("key <= ABC-1"), (Keys{"ABC-1"}));
  EXPECT_EQ(match("id > 10"), (Keys{"XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("id <= 2"), (Keys{"ABC-1", "ABC-2"}));
}

TEST_F(JqlFields, IssueTypeAndItsFunctions) {
  EXPECT_EQ(match("issuetype = bug"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("type in (Epic, \"Sub-task\")"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(match("issuetype != Task"), (Keys{"ABC-1", "ABC-2", "ABC-10"}));
  EXPECT_EQ(match("issuetype in subTaskIssueTypes()"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("issuetype in standardIssueTypes()").size(), 4u);
}

TEST_F(JqlFields, StatusAndStatusCategory) {
  EXPECT_EQ(match("status = \"in progress\""), (Keys{"ABC-2"}));
  EXPECT_EQ(match("status != \"To Do\""), (Keys{"ABC-2", "ABC-10"}));
  EXPECT_EQ(match("status in (Done, 'In Progress')"), (Keys{"ABC-2", "ABC-10"}));
  EXPECT_EQ(match("statusCategory = \"To Do\""), (Keys{"ABC-1", "XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("statuscategory = new"), (Keys{"ABC-1", "XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("statusCategory = \"In Progress\""), (Keys{"ABC-2"}));
  EXPECT_EQ(match("statusCategory = indeterminate"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("statusCategory = Done"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("statusCategory = 3"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("statusCategory != done").size(), 4u);
  EXPECT_EQ(match("statusCategory not in (done, new)"), (Keys{"ABC-2"}));
}

TEST_F(JqlFields, PriorityEqualityAndRank) {
  EXPECT_EQ(match("priority = high"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("priority > Medium"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(match("priority >= High"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(match("priority < Medium"), (Keys{"ABC-10", "XYZ-2"}));
  EXPECT_EQ(match("priority <= Lowest"), (Keys{"XYZ-2"}));
  EXPECT_EQ(match("priority is EMPTY"), (Keys{"XYZ-1"}));
  // != never matches an empty value (Jira semantics).
  EXPECT_EQ(match("priority != High"), (Keys{"ABC-1", "ABC-10", "XYZ-2"}));
  EXPECT_EQ(match("priority != High OR priority is EMPTY").size(), 4u);
}

TEST_F(JqlFields, AssigneeAndReporter) {
  EXPECT_EQ(match("assignee = currentUser()"), (Keys{"ABC-1", "XYZ-2"}));
  EXPECT_EQ(match("assignee = \"alice@example.com\""), (Keys{"ABC-1", "XYZ-2"}));
  EXPECT_EQ(match("assignee = \"Alice Adams\""), (Keys{"ABC-1", "XYZ-2"}));
  EXPECT_EQ(match("assignee = acc-bob"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("assignee is EMPTY"), (Keys{"ABC-10", "XYZ-1"}));
  EXPECT_EQ(match("assignee = EMPTY"), (Keys{"ABC-10", "XYZ-1"}));
  EXPECT_EQ(match("assignee is not null"), (Keys{"ABC-1", "ABC-2", "XYZ-2"}));
  EXPECT_EQ(match("assignee != currentUser()"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("assignee in (EMPTY, bob@example.com)"), (Keys{"ABC-2", "ABC-10", "XYZ-1"}));
  EXPECT_EQ(match("assignee not in (currentUser())"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("reporter = currentUser()"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("reporter = acc-rep").size(), 4u);
}

TEST_F(JqlFields, CurrentUserFollowsTheContext) {
  auto q = parse("assignee = currentUser()");
  EvalContext bob = ctx_;
  bob.current_account_id = "acc-bob";
  EvalContext anonymous = ctx_;
  anonymous.current_account_id = "";
  EXPECT_TRUE(q->matches(issues_[0], ctx_));
  EXPECT_FALSE(q->matches(issues_[0], bob));
  EXPECT_TRUE(q->matches(issues_[1], bob));
  EXPECT_FALSE(q->matches(issues_[0], anonymous)) << "anonymous currentUser() matches nobody";
  EXPECT_TRUE(q->matches(issues_[0], ctx_)) << "the first context still binds the same way";
}

TEST_F(JqlFields, OneQueryServesConcurrentContexts) {
  auto q = parse("assignee = currentUser() AND updated >= -1h");
  const int64_t t0 = testing::utc_ms(2024, 12, 1);
  const std::string users[] = {"acc-alice", "acc-bob", "acc-nobody", "acc-alice"};
  const int64_t nows[] = {t0 + 1000, t0 + 1000, t0 + 1000, t0 + 7'200'000};  // last: too late
  const size_t want[] = {2, 1, 0, 0};
  size_t got[4] = {};
  bool unstable[4] = {};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      EvalContext ctx = ctx_;
      ctx.current_account_id = users[t];
      ctx.now_ms = nows[t];
      for (int round = 0; round < 500; ++round) {
        size_t n = 0;
        for (const auto& i : issues_) n += q->matches(i, ctx);
        if (round == 0) got[t] = n;
        if (n != got[t]) unstable[t] = true;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(got[t], want[t]) << users[t] << " at " << nows[t];
    EXPECT_FALSE(unstable[t]) << users[t];
  }
}

TEST_F(JqlFields, LabelsComponentsFixVersions) {
  EXPECT_EQ(match("labels = backend"), (Keys{"ABC-1", "ABC-2"}));
  EXPECT_EQ(match("labels in (urgent, nothing)"), (Keys{"ABC-1"}));
  EXPECT_EQ(match("labels is EMPTY"), (Keys{"ABC-10", "XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("labels is not EMPTY"), (Keys{"ABC-1", "ABC-2"}));
  // != means "has labels, none of them this one".
  EXPECT_EQ(match("labels != urgent"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("labels not in (urgent)"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("component = API"), (Keys{"ABC-1", "XYZ-1"}));
  EXPECT_EQ(match("component in (UI)"), (Keys{"XYZ-1"}));
  EXPECT_EQ(match("component is empty"), (Keys{"ABC-2", "ABC-10", "XYZ-2"}));
  EXPECT_EQ(match("fixVersion = \"1.0\""), (Keys{"ABC-1"}));
  EXPECT_EQ(match("fixversion in (1.0, 2.0)"), (Keys{"ABC-1", "XYZ-1"}));
  EXPECT_EQ(match("fixVersion != 1.0"), (Keys{"XYZ-1"}));
}

TEST_F(JqlFields, Parent) {
  EXPECT_EQ(match("parent = ABC-1"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("parent = 11"), (Keys{"XYZ-2"}));
  EXPECT_EQ(match("parent in (ABC-1, XYZ-1)"), (Keys{"ABC-2", "XYZ-2"}));
  EXPECT_EQ(match("parent != ABC-1"), (Keys{"XYZ-2"})) << "issues without parent never match !=";
  EXPECT_EQ(match("parent not in (XYZ-1)"), (Keys{"ABC-2"}));
  auto q = parse("parent = NOPE-1");
  try {
    q->matches(issues_[0], ctx_);
    FAIL() << "expected JqlError";
  } catch (const JqlError& e) {
    EXPECT_STREQ(e.what(), "An issue with key 'NOPE-1' does not exist for field 'parent'.");
  }
}

TEST_F(JqlFields, ResolutionAndResolutionDate) {
  EXPECT_EQ(match("resolution = Unresolved"), (Keys{"ABC-1", "ABC-2", "XYZ-1"}));
  EXPECT_EQ(match("resolution is EMPTY"), (Keys{"ABC-1", "ABC-2", "XYZ-1"}));
  EXPECT_EQ(match("resolution != Unresolved"), (Keys{"ABC-10", "XYZ-2"}));
  EXPECT_EQ(match("resolution = done"), (Keys{"ABC-10"}));
  EXPECT_EQ(match("resolution in (\"Won't Do\", Unresolved)"),
            (Keys{"ABC-1", "ABC-2", "XYZ-1", "XYZ-2"}));
  EXPECT_EQ(match("resolutiondate is empty"), (Keys{"ABC-1", "ABC-2", "XYZ-1"}));
  EXPECT_EQ(match("resolutiondate >= \"2025-01-06\""), (Keys{"XYZ-2"}));
  EXPECT_EQ(match("resolved < \"2025-01-06\""), (Keys{"ABC-10"}));
  EXPECT_EQ(match("resolutiondate != \"2025-01-05\""), (Keys{"XYZ-2"}));
}

TEST_F(JqlFields, KeywordsAndFieldNamesIgnoreCase) {
  EXPECT_EQ(match("PROJECT = ABC aNd STATUS In (\"To Do\") Or Key = xyz-2"),
            (Keys{"ABC-1", "XYZ-2"}));
  EXPECT_EQ(match("\"project\" = XYZ AND Priority IS NOT Null"), (Keys{"XYZ-2"}));
}

TEST_F(JqlFields, QuotedValuesWithEscapes) {
  issues_[0].status = "Won't \"fix\"";
  EXPECT_EQ(match("status = 'Won\\'t \"fix\"'"), (Keys{"ABC-1"}));
  EXPECT_EQ(match("status = \"Won't \\\"fix\\\"\""), (Keys{"ABC-1"}));
}

}  // namespace
}  // namespace jirasim::jql
