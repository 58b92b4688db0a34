#include "tests/jirasim/jql/text_search.hpp"

#include <gtest/gtest.h>

#include <map>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using Keys = std::vector<std::string>;

TEST(TextQuery, WordsMatchCaseInsensitivelyWithStems) {
  const auto q = TextQuery::parse("Crash");
  EXPECT_TRUE(q.all_in("App crashes on start"));
  EXPECT_TRUE(q.all_in("it CRASHED"));
  EXPECT_TRUE(q.all_in("crashing!"));
  EXPECT_FALSE(q.all_in("crush and crass"));
  EXPECT_TRUE(TextQuery::parse("stories").all_in("one story"));
  EXPECT_FALSE(TextQuery::parse("test").all_in("testament"));
}

TEST(TextQuery, EveryWordMustOccur) {
  const auto q = TextQuery::parse("login timeout");
  EXPECT_TRUE(q.all_in("Timeout during login"));
  EXPECT_FALSE(q.all_in("login fails"));
}

TEST(TextQuery, AStopWordWithAStarIsStillAPrefix) {
  // Lucene does not analyse wildcard terms: "with*" finds "within".
  const auto q = TextQuery::parse("with*");
  ASSERT_FALSE(q.empty());
  EXPECT_TRUE(q.all_in("from within the app"));
  EXPECT_FALSE(q.all_in("from the app"));
}

TEST(TextQuery, TrailingStarIsAPrefix) {
  const auto q = TextQuery::parse("win*");
  EXPECT_TRUE(q.all_in("Windows build"));
  EXPECT_TRUE(q.all_in("we win"));
  EXPECT_TRUE(q.all_in("wind"));
  EXPECT_FALSE(q.all_in("twin engines"));
}

TEST(TextQuery, QuotedPhraseNeedsWordsInOrder) {
  const auto q = TextQuery::parse("\"out of memory\"");
  EXPECT_TRUE(q.all_in("Worker ran out of memory today"));
  EXPECT_FALSE(q.all_in("memory ran out"));
  EXPECT_FALSE(q.all_in("out of disk, memory fine"));
}

TEST(TextQuery, StopWordsAreIgnored) {
  EXPECT_TRUE(TextQuery::parse("the").empty());
  EXPECT_TRUE(TextQuery::parse("the crash").all_in("crash report"));
}

class TextClauses : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = testing::issue(1, "ABC-1");
    a.summary = "Login page crashes";
    auto b = testing::issue(2, "ABC-2");
    b.summary = "Slow dashboard";
    auto c = testing::issue(3, "ABC-3");
    c.summary = "";
    issues_ = {a, b, c};
    descriptions_ = {
        {1, "Stack trace attached"}, {2, "The login widget runs out of memory"}, {3, ""}};
    ctx_.description_text = [this](const SimIssue& i) { return descriptions_.at(i.id); };
  }
  Keys match(const std::string& jql) { return testing::keys_matching(jql, issues_, ctx_); }

  std::vector<SimIssue> issues_;
  std::map<int64_t, std::string> descriptions_;
  EvalContext ctx_;
};

TEST_F(TextClauses, Summary) {
  EXPECT_EQ(match("summary ~ crash"), (Keys{"ABC-1"}));
  EXPECT_EQ(match("summary !~ crash"), (Keys{"ABC-2", "ABC-3"}));
  EXPECT_EQ(match("summary ~ \"dash*\""), (Keys{"ABC-2"}));
  EXPECT_EQ(match("summary is EMPTY"), (Keys{"ABC-3"}));
  EXPECT_EQ(match("summary is not EMPTY"), (Keys{"ABC-1", "ABC-2"}));
}

TEST_F(TextClauses, Description) {
  EXPECT_EQ(match("description ~ login"), (Keys{"ABC-2"}));
  EXPECT_EQ(match("description ~ \"\\\"out of memory\\\"\""), (Keys{"ABC-2"}));
  EXPECT_EQ(match("description ~ \"\\\"memory out\\\"\""), Keys{});
  EXPECT_EQ(match("description is empty"), (Keys{"ABC-3"}));
}

TEST_F(TextClauses, TextSearchesSummaryAndDescriptionTermByTerm) {
  EXPECT_EQ(match("text ~ login"), (Keys{"ABC-1", "ABC-2"}));
  // "slow" is in ABC-2's summary, "memory" in its description.
  EXPECT_EQ(match("text ~ \"slow memory\""), (Keys{"ABC-2"}));
  EXPECT_EQ(match("text ~ \"stack crash\""), (Keys{"ABC-1"}));
  EXPECT_EQ(match("text ~ \"stack dashboard\""), Keys{});
}

}  // namespace
}  // namespace jirasim::jql
