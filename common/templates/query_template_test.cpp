#include "common/templates/query_template.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

QueryTemplate make(const std::string& jql, std::map<std::string, std::string> defaults = {}) {
  return {"t", "", jql, std::move(defaults), false};
}

TEST(QueryTemplateTest, TextIsAlwaysQuotedAndEscaped) {
  const auto t = make("summary ~ ${words} AND project = ${p}");
  EXPECT_EQ(expand_template(t, {{"words", "a \"b\" \\ c"}, {"p", "X"}}),
            R"(summary ~ "a \"b\" \\ c" AND project = "X")");
  // An attempt to break out of the literal stays inside it.
  EXPECT_EQ(expand_template(t, {{"words", "x\" OR project = \"Y"}, {"p", "X"}}),
            R"(summary ~ "x\" OR project = \"Y" AND project = "X")");
}

TEST(QueryTemplateTest, ControlCharactersAreRefused) {
  const auto t = make("summary ~ ${words}");
  EXPECT_THROW(expand_template(t, {{"words", "a\nb"}}), TemplateError);
  EXPECT_THROW(expand_template(t, {{"words", std::string("a\0b", 3)}}), TemplateError);
}

TEST(QueryTemplateTest, IntegersListsAndDatesHaveTheirShape) {
  const auto t = make("updated <= -${days:int}d AND labels IN (${l:list}) AND created >= ${s:date}",
                      {{"days", "30"}});
  EXPECT_EQ(expand_template(t, {{"l", "a, b c,\"d"}, {"s", "-2w"}}),
            R"(updated <= -30d AND labels IN ("a", "b c", "\"d") AND created >= -2w)");
  EXPECT_EQ(expand_template(t, {{"l", "a"}, {"s", "2024-03-05"}}),
            R"(updated <= -30d AND labels IN ("a") AND created >= "2024-03-05")");
  EXPECT_EQ(expand_template(t, {{"l", "a"}, {"s", "2024-03-05 10:30"}}),
            R"(updated <= -30d AND labels IN ("a") AND created >= "2024-03-05 10:30")");
  for (const char* bad : {"1 OR 1=1", "-1", "1e3", "", "1234567890"}) {
    EXPECT_THROW(expand_template(t, {{"days", bad}, {"l", "a"}, {"s", "-1d"}}), TemplateError)
        << bad;
  }
  for (const char* bad : {"-7d OR x", "yesterday", "2024-3-5", "-7y", "a,,b"}) {
    EXPECT_THROW(expand_template(t, {{"l", "a"}, {"s", bad}}), TemplateError) << bad;
  }
  EXPECT_THROW(expand_template(t, {{"l", "a,,b"}, {"s", "-1d"}}), TemplateError);
}

TEST(QueryTemplateTest, LastSyncComesFromTheContext) {
  const auto t = make("created >= ${since:date}", {{"since", "last-sync"}});
  EXPECT_EQ(expand_template(t, {}, {1700000000000}), "created >= 1700000000000");
  EXPECT_THROW(expand_template(t, {}, {0}), TemplateError);
}

TEST(QueryTemplateTest, MissingUnknownAndMalformedParametersAreNamed) {
  const auto t = make("project = ${project}");
  try {
    expand_template(t, {});
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("--param project="), std::string::npos) << e.what();
  }
  try {
    expand_template(t, {{"project", "X"}, {"colour", "red"}});
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("no parameter colour"), std::string::npos) << e.what();
  }
  EXPECT_THROW(make("x = ${a").params(), TemplateError);
  EXPECT_THROW(make("x = ${a:float}").params(), TemplateError);
  EXPECT_THROW(make("x = ${}").params(), TemplateError);
  EXPECT_THROW(make("x = ${a} AND y = ${a:int}").params(), TemplateError);
  EXPECT_THROW(make("x = 1", {{"a", "1"}}).params(), TemplateError);
}

}  // namespace
}  // namespace jirasync
