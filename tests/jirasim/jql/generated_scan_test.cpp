// Correctness of full scans over a generated issue set, checked against
// straightforward reference predicates written independently of the engine.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::utc_ms;

std::vector<SimIssue> generate(size_t n) {
  std::mt19937 rng(20250102);
  const char* projects[] = {"ALPHA", "BETA", "GAMMA"};
  const char* statuses[][2] = {
      {"To Do", "new"}, {"In Progress", "indeterminate"}, {"Done", "done"}};
  const char* priorities[] = {"Highest", "High", "Medium", "Low", "Lowest", ""};
  const char* labels[] = {"ops", "ui", "db", "perf"};
  const int64_t base = utc_ms(2025, 1, 1);
  std::vector<SimIssue> out;
  out.reserve(n);
  std::vector<int64_t> counters(3, 0);
  for (size_t k = 0; k < n; ++k) {
    SimIssue i;
    i.id = 10000 + static_cast<int64_t>(k);
    const size_t p = rng() % 3;
    i.project_key = projects[p];
    i.project_id = 100 + static_cast<int64_t>(p);
    i.key = i.project_key + "-" + std::to_string(++counters[p]);
    const auto& s = statuses[rng() % 3];
    i.status = s[0];
    i.status_category = s[1];
    i.priority = priorities[rng() % 6];
    i.assignee_id = rng() % 4 == 0 ? "" : "acc-" + std::to_string(rng() % 5);
    for (const char* l : labels) {
      if (rng() % 3 == 0) i.labels.push_back(l);
    }
    i.created_ms = base + static_cast<int64_t>(rng() % (20 * 24 * 60)) * 60'000;
    // Whole minutes, so that ties on `updated` happen and the id tie-break matters.
    i.updated_ms = i.created_ms + static_cast<int64_t>(rng() % 50) * 3'600'000;
    i.issue_type = "Task";
    out.push_back(std::move(i));
  }
  return out;
}

void expect_same(const std::vector<SimIssue>& issues, const std::string& jql,
                 const EvalContext& ctx, const std::function<bool(const SimIssue&)>& reference) {
  auto q = parse(jql);
  size_t matched = 0;
  for (const auto& i : issues) {
    const bool want = reference(i);
    ASSERT_EQ(q->matches(i, ctx), want) << jql << " on " << i.key;
    matched += want;
  }
  // A reference that matches nothing (or everything) would prove little.
  EXPECT_GT(matched, 0u) << jql;
  EXPECT_LT(matched, issues.size()) << jql;
}

class GeneratedScan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { issues_ = new std::vector<SimIssue>(generate(30000)); }
  static void TearDownTestSuite() { delete issues_; }
  static std::vector<SimIssue>* issues_;
};
std::vector<SimIssue>* GeneratedScan::issues_ = nullptr;

TEST_F(GeneratedScan, IncrementalQueryFiltersAndOrdersLikeTheReference) {
  const int64_t cursor = utc_ms(2025, 1, 12, 7, 0);
  EvalContext ctx;
  ctx.account_time_zone = "America/Los_Angeles";
  const std::string jql =
      "project = BETA AND updated >= " + std::to_string(cursor) + " ORDER BY updated ASC";
  auto q = parse(jql);
  std::vector<SimIssue> got;
  for (const auto& i : *issues_) {
    if (q->matches(i, ctx)) got.push_back(i);
  }
  std::sort(got.begin(), got.end(),
            [&](const SimIssue& a, const SimIssue& b) { return order_less(q->order_by(), a, b); });

  std::vector<SimIssue> want;
  for (const auto& i : *issues_) {
    if (i.project_key == "BETA" && i.updated_ms >= cursor) want.push_back(i);
  }
  std::sort(want.begin(), want.end(), [](const SimIssue& a, const SimIssue& b) {
    return a.updated_ms != b.updated_ms ? a.updated_ms < b.updated_ms : a.id < b.id;
  });
  ASSERT_GT(want.size(), 100u);
  ASSERT_EQ(got.size(), want.size());
  bool saw_tie = false;
  for (size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(got[k].id, want[k].id) << "position " << k;
    if (k > 0 && got[k].updated_ms == got[k - 1].updated_ms) saw_tie = true;
  }
  EXPECT_TRUE(saw_tie) << "the data should exercise the id tie-break";
}

TEST_F(GeneratedScan, CompoundQueries) {
  EvalContext ctx;
  ctx.current_account_id = "acc-3";
  ctx.now_ms = utc_ms(2025, 1, 15, 12, 0);
  expect_same(*issues_, "status in (\"In Progress\", Done) AND assignee IS EMPTY", ctx,
              [](const SimIssue& i) {
                return (i.status == "In Progress" || i.status == "Done") && i.assignee_id.empty();
              });
  expect_same(*issues_, "labels = perf OR priority > Medium", ctx, [](const SimIssue& i) {
    const bool perf = std::find(i.labels.begin(), i.labels.end(), "perf") != i.labels.end();
    return perf || i.priority == "High" || i.priority == "Highest";
  });
  expect_same(*issues_, "assignee = currentUser() AND NOT labels in (ops, db)", ctx,
              [](const SimIssue& i) {
                const bool ops_or_db = std::any_of(i.labels.begin(), i.labels.end(),
                                                   [](auto& l) { return l == "ops" || l == "db"; });
                return i.assignee_id == "acc-3" && !ops_or_db;
              });
  expect_same(
      *issues_, "updated >= -3d OR created < startOfMonth(\"+4d\")", ctx, [&](const SimIssue& i) {
        return i.updated_ms >= ctx.now_ms - 3 * 86'400'000LL || i.created_ms < utc_ms(2025, 1, 5);
      });
}

TEST_F(GeneratedScan, BareDatesFollowTheAccountZone) {
  const std::string jql = "statusCategory != done AND created < \"2025-01-10\"";
  EvalContext tokyo;
  tokyo.account_time_zone = "Asia/Tokyo";
  expect_same(*issues_, jql, tokyo, [](const SimIssue& i) {
    return i.status_category != "done" && i.created_ms < utc_ms(2025, 1, 9, 15);
  });
  EvalContext la;
  la.account_time_zone = "America/Los_Angeles";
  expect_same(*issues_, jql, la, [](const SimIssue& i) {
    return i.status_category != "done" && i.created_ms < utc_ms(2025, 1, 10, 8);
  });
}

}  // namespace
}  // namespace jirasim::jql
