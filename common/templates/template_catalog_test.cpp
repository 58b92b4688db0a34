#include "common/templates/template_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

#include "common/templates/template_jql_check.hpp"

namespace jirasync {
namespace {

TEST(TemplateCatalogTest, ShipsAtLeastTwentyWellFormedBuiltins) {
  const TemplateCatalog catalog({});
  EXPECT_GE(catalog.all().size(), 20u);
  std::set<std::string> names;
  for (const QueryTemplate& t : catalog.all()) {
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    EXPECT_FALSE(t.description.empty()) << t.name;
    EXPECT_TRUE(t.builtin);
  }
  const auto problems = catalog.check({});
  for (const auto& p : problems) ADD_FAILURE() << p.name << ": " << p.reason;
}

TEST(TemplateCatalogTest, EveryBuiltinExpandsWithoutPlaceholdersLeft) {
  const TemplateCatalog catalog({});
  std::vector<std::string> seen;
  catalog.check([&](const std::string& jql) { seen.push_back(jql); });
  ASSERT_EQ(seen.size(), catalog.all().size());
  for (const std::string& jql : seen) EXPECT_EQ(jql.find("${"), std::string::npos) << jql;
}

TEST(TemplateCatalogTest, UserTemplatesJoinAndMayNotShadowBuiltins) {
  const TemplateCatalog catalog({{"team-bugs", "d", "labels = ${team}", {}},
                                 {"my-open", "mine", "project = X", {}},
                                 {"Bad Name", "", "x = 1", {}}});
  EXPECT_EQ(catalog.find("team-bugs").jql, "labels = ${team}");
  EXPECT_TRUE(catalog.find("my-open").builtin);
  ASSERT_EQ(catalog.load_problems().size(), 2u);
  EXPECT_EQ(catalog.load_problems()[0].name, "my-open");
  EXPECT_EQ(catalog.load_problems()[1].name, "Bad Name");
  EXPECT_EQ(catalog.check({}).size(), 2u);
}

TEST(TemplateCatalogTest, UnknownTemplateListsTheNames) {
  const TemplateCatalog catalog({});
  try {
    catalog.find("nope");
    FAIL();
  } catch (const TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("my-open"), std::string::npos) << e.what();
  }
}

TEST(TemplateCatalogTest, CheckReportsWhatTheJqlCheckerRefuses) {
  const TemplateCatalog catalog({{"broken", "", "summary ~ ${words} AND", {}}});
  const auto problems = catalog.check([](const std::string& jql) {
    if (jql.ends_with("AND")) throw std::invalid_argument("Expecting a field but got end");
  });
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].name, "broken");
  EXPECT_NE(problems[0].reason.find("Expecting"), std::string::npos);
}

TEST(TemplateCatalogTest, EveryBuiltinParsesAndCompilesForTheCache) {
  const TemplateCatalog catalog({});
  for (const auto& p : catalog.check(cache_jql_check()))
    ADD_FAILURE() << p.name << ": " << p.reason;
}

TEST(TemplateCatalogTest, TheCacheCheckRefusesBadJql) {
  const TemplateCatalog catalog({{"typo", "", "projct = ${p}", {}},
                                 {"history", "", "status WAS Done", {}},
                                 {"dangling", "", "summary ~ ${w} AND", {}}});
  const auto problems = catalog.check(cache_jql_check());
  ASSERT_EQ(problems.size(), 3u);
  for (const auto& p : problems) EXPECT_FALSE(p.reason.empty()) << p.name;
}

TEST(TemplateCatalogTest, TheCacheCheckNamesCustomFieldsByTheFieldListItIsGiven) {
  const TemplateCatalog catalog({{"pointed", "", "\"Story Points\" = ${n}", {}}});
  EXPECT_EQ(catalog.check(cache_jql_check()).size(), 1u);  // no field list: no such field
  const auto named = cache_jql_check(
      [] { return std::vector<CustomFieldName>{{"customfield_10016", "Story Points"}}; });
  for (const auto& p : catalog.check(named)) ADD_FAILURE() << p.name << ": " << p.reason;
}

}  // namespace
}  // namespace jirasync
