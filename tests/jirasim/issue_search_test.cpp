// Anchored searches (`... AND updated >= T ORDER BY updated ASC, key ASC`, one
// per page of a sync) answer from one cached list of the unanchored query, and
// give exactly what evaluating the whole query gives.

#include "tests/jirasim/issue_search.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "tests/jirasim/issue_generator.hpp"
#include "tests/jirasim/sim_options.hpp"

namespace jirasim {
namespace {

class IssueSearchTest : public ::testing::Test {
 protected:
  IssueSearchTest()
      : people_({demo_user()}, 7),
        store_(clock_),
        renderer_(people_, store_, 7),
        search_(store_, people_, renderer_, clock_) {
    clock_.set_ms(kDataEnd);
    IssueGenerator generator(7, kDataEnd, people_);
    std::vector<ProjectSpec> specs{{"ALPHA", 400}, {"BETA", 300}};
    store_.replace_all(
        generator.projects(specs),
        [&](const std::function<void(SimIssue &&)>& sink) { generator.generate(specs, sink); });
    user_ = demo_user();
  }

  // The keys a search returns, in order.
  std::vector<std::string> keys(const std::string& jql) {
    SearchResult r = search_.run(jql, user_, "UTC");
    std::vector<std::string> out;
    for (size_t i = 0; i < r.size(); ++i) out.push_back(r.at(i).key);
    return out;
  }

  // The same, by scanning every issue with the whole query (the reference).
  std::vector<std::string> scanned(const std::string& jql) {
    auto query = jql::parse(jql);
    jql::EvalContext ctx;
    ctx.now_ms = clock_.now_ms();
    std::vector<IssuePtr> all;
    store_.searchable_issues(all);
    std::vector<IssuePtr> hits;
    for (auto& i : all) {
      if (query->matches(*i, ctx)) hits.push_back(i);
    }
    std::sort(hits.begin(), hits.end(), [&](const IssuePtr& a, const IssuePtr& b) {
      return jql::order_less(query->order_by(), *a, *b);
    });
    std::vector<std::string> out;
    for (auto& i : hits) out.push_back(i->key);
    return out;
  }

  // An `updated` value held by some issue of ALPHA, near the given fraction of the order.
  int64_t updated_at(double fraction) {
    SearchResult all = search_.run("project = ALPHA ORDER BY updated ASC, key ASC", user_, "UTC");
    return all.at(static_cast<size_t>(fraction * static_cast<double>(all.size() - 1))).updated_ms;
  }

  static constexpr int64_t kDataEnd = 1'760'000'000'000;
  jirasync::FakeClock clock_;
  People people_;
  IssueStore store_;
  IssueRenderer renderer_;
  IssueSearch search_;
  SimUser user_;
};

TEST_F(IssueSearchTest, AnchoredPagesShareOneListOfTheUnanchoredQuery) {
  const int64_t a = updated_at(0.25), b = updated_at(0.75);
  const auto q = [](int64_t t) {
    return "project = ALPHA AND updated >= " + std::to_string(t) + " ORDER BY updated ASC, key ASC";
  };
  SearchResult first = search_.run(q(a), user_, "UTC");
  SearchResult second = search_.run(q(b), user_, "UTC");
  EXPECT_EQ(first.list.get(), second.list.get()) << "each anchor scanned and sorted again";
  EXPECT_GT(first.size(), second.size());
}

TEST_F(IssueSearchTest, AnchoredSearchesMatchAFullScan) {
  for (double f : {0.0, 0.1, 0.5, 0.9, 1.0}) {
    const std::string t = std::to_string(updated_at(f));
    for (const std::string& jql : {
             "project = ALPHA AND updated >= " + t + " ORDER BY updated ASC, key ASC",
             "project = ALPHA AND updated > " + t + " ORDER BY updated ASC, key ASC",
             "updated >= \"" + t + "\" AND project = ALPHA ORDER BY updated ASC",
             "updatedDate >= " + t + " ORDER BY updated ASC, key ASC",
             "project = ALPHA AND status = Done AND updated >= " + t + " ORDER BY updated",
             // Not anchors (an OR, a descending order): evaluated whole.
             "project = ALPHA OR updated >= " + t + " ORDER BY updated ASC",
             "project = BETA AND updated >= " + t + " ORDER BY updated DESC",
         }) {
      EXPECT_EQ(keys(jql), scanned(jql)) << jql;
    }
  }
}

TEST_F(IssueSearchTest, KeysetPagesShareOneListAndMatchAFullScan) {
  SearchResult a =
      search_.run("project = ALPHA AND key > \"ALPHA-10\" ORDER BY key ASC", user_, "UTC");
  SearchResult b =
      search_.run("project = ALPHA AND key > \"ALPHA-200\" ORDER BY key ASC", user_, "UTC");
  EXPECT_EQ(a.list.get(), b.list.get()) << "each sweep page scanned and sorted again";
  for (const std::string& jql : {
           std::string("project = ALPHA AND key > \"ALPHA-10\" ORDER BY key ASC"),
           std::string("project = ALPHA AND key >= \"alpha-10\" ORDER BY key ASC"),
           std::string("key > \"ALPHA-395\" ORDER BY key ASC"),
           std::string("key > \"BETA-7\" ORDER BY key ASC, updated DESC"),
           std::string("project = BETA AND key > \"ALPHA-7\" ORDER BY key"),
           std::string("project = ALPHA AND key > \"ALPHA-9999\" ORDER BY key ASC"),
           std::string("status = Done AND key > \"BETA-150\" ORDER BY key ASC"),
       }) {
    EXPECT_EQ(keys(jql), scanned(jql)) << jql;
  }
}

TEST_F(IssueSearchTest, AnAnchoredListSeesEditsMadeBetweenPages) {
  const int64_t t = updated_at(0.5);
  const std::string jql =
      "project = ALPHA AND updated >= " + std::to_string(t) + " ORDER BY updated ASC, key ASC";
  const size_t before = keys(jql).size();
  IssuePtr early = store_.find("ALPHA-1");
  ASSERT_TRUE(early);
  ASSERT_LT(early->updated_ms, t);
  clock_.advance_ms(1000);
  store_.update(
      early->id, [](SimIssue& i) { i.summary += " (edited)"; }, user_.account_id);
  const auto after = keys(jql);
  EXPECT_EQ(after.size(), before + 1);
  EXPECT_EQ(after.back(), "ALPHA-1") << "an edited issue moves to the end of an updated order";
  EXPECT_EQ(after, scanned(jql));
}

TEST_F(IssueSearchTest, AnInvalidAnchoredQueryFailsLikeAnyOther) {
  EXPECT_THROW(search_.run("project = ALPHA AND nosuchfield = 1 AND updated >= 5 ORDER BY updated",
                           user_, "UTC"),
               jql::JqlError);
}

}  // namespace
}  // namespace jirasim
