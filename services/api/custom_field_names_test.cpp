// Custom fields by name on the api role: the stored field list (what the
// fetcher read from Jira) resolves them for searches and for validation.
#include <gtest/gtest.h>

#include "common/store/sql_field_catalog.hpp"
#include "services/api/cache_routes_fixture.hpp"

namespace jirasync::testing {
namespace {

class CustomFieldNamesTest : public CacheRoutesTest {
 protected:
  CustomFieldNamesTest() {
    JiraIssue i = issue("8", "WRKA-8", kNowMs - 1000, "Pointed");
    i.custom_fields["customfield_10016"] = "8.0";
    Decision d = snapshot("", i, DecisionKind::kInsert);
    d.item_key = "8@1";
    tables.apply({d}, "test", {}, kNowMs);
    cache("9", "WRKA-9", kNowMs);
    SqlFieldCatalog(scratch.db())
        .replace_all({{"customfield_10016", "Story Points", true}, {"summary", "Summary", false}},
                     kNowMs);
  }
};

TEST_F(CustomFieldNamesTest, ASearchAndAValidationNameACustomFieldAsJiraDoes) {
  auto found = call("GET", "/api/v1/issues?jql=%22story%20points%22%20%3E%203", "", "read");
  ASSERT_EQ(found.status, 200) << found.body;
  auto doc = json(found);
  ASSERT_EQ(doc["issues"].Size(), 1u);
  EXPECT_STREQ(doc["issues"][0]["key"].GetString(), "WRKA-8");

  auto ok = json(call("POST", "/api/v1/jql/validate", R"({"jql":"\"Story Points\" = 8"})", "read"));
  EXPECT_TRUE(ok["valid"].GetBool());
  auto unknown =
      json(call("POST", "/api/v1/jql/validate", R"({"jql":"\"Story Pointz\" = 8"})", "read"));
  EXPECT_FALSE(unknown["valid"].GetBool());
  EXPECT_STREQ(unknown["error"]["message"].GetString(),
               "Field 'Story Pointz' does not exist or you do not have permission to view it.");
}

}  // namespace
}  // namespace jirasync::testing
