// The sync scope of a project (`jql`): read from the file or the environment,
// checked as JQL at load time with an error naming the project and the key.
#include <gtest/gtest.h>

#include "common/config/config.hpp"

namespace jirasync {
namespace {

std::string error_of(const std::string& yaml, const std::map<std::string, std::string>& env = {}) {
  try {
    load_config_from(yaml, env);
  } catch (const ConfigError& e) {
    return e.key() + " | " + e.what();
  }
  return "accepted";
}

TEST(ConfigScopeTest, ReadsTheScopeOfEachProject) {
  const Config c = load_config_from(R"(
projects:
  - key: WRKA
    jql: "assignee = currentUser() OR labels = team-a"
  - key: OPS
)",
                                    {});
  EXPECT_EQ(c.projects[0].jql, "assignee = currentUser() OR labels = team-a");
  EXPECT_EQ(c.projects[1].jql, "");
}

TEST(ConfigScopeTest, InvalidJqlNamesTheProjectAndTheSetting) {
  const std::string e = error_of("projects:\n  - key: OPS\n  - key: WRKA\n    jql: 'labels = '\n");
  EXPECT_EQ(e.substr(0, e.find(" | ")), "projects[1].jql") << e;
  EXPECT_NE(e.find("project WRKA"), std::string::npos) << e;
  EXPECT_NE(e.find("Error in the JQL Query"), std::string::npos) << e;
}

TEST(ConfigScopeTest, OrderByAndBlankScopesAreRefused) {
  EXPECT_NE(error_of("projects:\n  - key: WRKA\n    jql: 'labels = a ORDER BY key'\n")
                .find("must not have ORDER BY"),
            std::string::npos);
  EXPECT_NE(error_of("projects:\n  - key: WRKA\n    jql: '  '\n").find("is blank"),
            std::string::npos);
}

TEST(ConfigScopeTest, HistorySearchesAreJirasToAnswerAndAccepted) {
  const Config c = load_config_from("projects:\n  - key: WRKA\n    jql: 'status WAS Open'\n", {});
  EXPECT_EQ(c.projects[0].jql, "status WAS Open");
}

TEST(ConfigScopeTest, UnknownProjectKeyListsTheKnownOnesIncludingJql) {
  const std::string e = error_of("projects:\n  - key: WRKA\n    filter: x\n");
  EXPECT_NE(e.find("projects[0].filter"), std::string::npos) << e;
  EXPECT_NE(e.find("jql"), std::string::npos) << e;
  EXPECT_NE(e.find("cache_ttl"), std::string::npos) << e;
}

TEST(ConfigScopeTest, TheEnvironmentOverridesAProjectSetting) {
  const Config c = load_config_from("projects:\n  - key: MY_PROJ\n",
                                    {{"JIRASYNC_PROJECT_MY_PROJ_JQL", "labels = ops"},
                                     {"JIRASYNC_PROJECT_MY_PROJ_CACHE_TTL", "5m"}});
  EXPECT_EQ(c.projects[0].jql, "labels = ops");
  EXPECT_EQ(c.projects[0].cache_ttl_ms, 300000);
  // Projects chosen by JIRASYNC_PROJECTS take overrides too.
  const Config env_only = load_config_from(
      "", {{"JIRASYNC_PROJECTS", "WRKA"}, {"JIRASYNC_PROJECT_WRKA_JQL", "labels = team-a"}});
  EXPECT_EQ(env_only.projects[0].jql, "labels = team-a");
}

TEST(ConfigScopeTest, AnOverrideOfNoConfiguredProjectOrSettingIsAnError) {
  const std::string other =
      error_of("projects:\n  - key: WRKA\n", {{"JIRASYNC_PROJECT_OPS_JQL", "labels = a"}});
  EXPECT_EQ(other.substr(0, other.find(" | ")), "JIRASYNC_PROJECT_OPS_JQL") << other;
  const std::string typo =
      error_of("projects:\n  - key: WRKA\n", {{"JIRASYNC_PROJECT_WRKA_JQLL", "labels = a"}});
  EXPECT_NE(typo.find("one of: key, strategy"), std::string::npos) << typo;
  const std::string bad =
      error_of("projects:\n  - key: WRKA\n", {{"JIRASYNC_PROJECT_WRKA_JQL", "labels in"}});
  EXPECT_NE(bad.find("project WRKA"), std::string::npos) << bad;
}

}  // namespace
}  // namespace jirasync
