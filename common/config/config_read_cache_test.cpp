// cache_ttl per project and user JQL templates: what the read commands take
// from the file.
#include <gtest/gtest.h>

#include "common/config/config.hpp"

namespace jirasync {
namespace {

TEST(ConfigReadCacheTest, CacheTtlDefaultsToOneHourAndReadsDurations) {
  const Config c = load_config_from(R"(
projects:
  - key: WRKA
  - key: OPS
    cache_ttl: 15m
)",
                                    {});
  EXPECT_EQ(c.projects[0].cache_ttl_ms, 3600000);
  EXPECT_EQ(c.projects[1].cache_ttl_ms, 900000);
}

TEST(ConfigReadCacheTest, BadCacheTtlNamesTheKey) {
  try {
    load_config_from("projects:\n  - key: WRKA\n    cache_ttl: soon\n", {});
    FAIL() << "accepted cache_ttl: soon";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "projects[0].cache_ttl");
    EXPECT_NE(std::string(e.what()).find("not a duration"), std::string::npos) << e.what();
  }
}

TEST(ConfigReadCacheTest, ReadsUserTemplates) {
  const Config c = load_config_from(R"(
templates:
  - name: team-bugs
    description: Bugs of one team
    jql: 'project = ${project} AND issuetype = Bug AND labels = ${team}'
    params: {project: WRKA, team: }
)",
                                    {});
  ASSERT_EQ(c.templates.size(), 1u);
  EXPECT_EQ(c.templates[0].name, "team-bugs");
  EXPECT_EQ(c.templates[0].description, "Bugs of one team");
  EXPECT_EQ(c.templates[0].params.at("project"), "WRKA");
  EXPECT_EQ(c.templates[0].params.at("team"), "");
}

TEST(ConfigReadCacheTest, TemplateErrorsNameTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"templates: {a: 1}", "templates"},
      {"templates:\n  - jql: 'x = 1'", "templates[0].name"},
      {"templates:\n  - name: a", "templates[0].jql"},
      {"templates:\n  - name: a\n    jql: x\n    colour: red", "templates[0].colour"},
      {"templates:\n  - name: a\n    jql: x\n    params: [1]", "templates[0].params"},
  };
  for (const auto& [yaml, key] : cases) {
    try {
      load_config_from(yaml, {});
      ADD_FAILURE() << "accepted " << yaml;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key(), key) << e.what();
    }
  }
}

}  // namespace
}  // namespace jirasync
