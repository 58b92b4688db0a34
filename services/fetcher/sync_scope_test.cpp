#include "services/fetcher/sync_scope.hpp"

#include <gtest/gtest.h>

#include "services/fetcher/fetch_query.hpp"
#include "services/fetcher/listing_query.hpp"

namespace jirasync {
namespace {

class SyncScopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProjectSettings team;
    team.key = "WRKA";
    team.jql = "assignee = currentUser() OR labels = team-a";
    ProjectSettings whole;
    whole.key = "OPS";
    install_sync_scopes({team, whole});
  }
  void TearDown() override { install_sync_scopes({}); }
};

TEST_F(SyncScopeTest, EveryBuilderAndsTheScopeInParentheses) {
  EXPECT_EQ(updated_since_jql("WRKA", 1700000000000),
            "project = \"WRKA\" AND (assignee = currentUser() OR labels = team-a) AND updated >= "
            "1700000000000 ORDER BY updated ASC, key ASC");
  EXPECT_EQ(sweep_jql("WRKA", "WRKA-7"),
            "project = \"WRKA\" AND (assignee = currentUser() OR labels = team-a) AND key > "
            "\"WRKA-7\" ORDER BY key ASC");
  EXPECT_EQ(changed_listing_jql("WRKA", 5, ""),
            "project = \"WRKA\" AND (assignee = currentUser() OR labels = team-a) AND updated >= 5 "
            "ORDER BY key ASC");
}

TEST_F(SyncScopeTest, AProjectWithoutAScopeIsSearchedWhole) {
  EXPECT_EQ(sync_scope_of("OPS"), "");
  EXPECT_EQ(sweep_jql("OPS"), "project = \"OPS\" ORDER BY key ASC");
  EXPECT_EQ(updated_since_jql("NEW", 0), "project = \"NEW\" ORDER BY updated ASC, key ASC");
}

}  // namespace
}  // namespace jirasync
