// Every Jira-compatible answer against the component schema Atlassian's
// OpenAPI document gives for it (tests/support/openapi_schema_check.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/store/sql_field_catalog.hpp"
#include "services/api/jira_compat/jira_compat_test_support.hpp"
#include "tests/support/openapi_schema_check.hpp"

namespace jirasync {
namespace {

using testing::JiraCompatCache;
using testing::kJiraNow;
using testing::OpenApiSchemaCheck;
using testing::rich_issue;

const rapidjson::Document& spec() {
  static const rapidjson::Document doc = [] {
    rapidjson::Document d;
    std::ifstream in(JIRA_COMPAT_SPEC_FILE);
    std::stringstream text;
    text << in.rdbuf();
    d.Parse(text.str().c_str());
    return d;
  }();
  return doc;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  return out;
}

class JiraSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(JIRA_COMPAT_SPEC_FILE) || !spec().IsObject()) {
      GTEST_SKIP() << "Atlassian's OpenAPI file is not at " << JIRA_COMPAT_SPEC_FILE;
    }
    JiraIssue parent = rich_issue("100", "WRKA-100", kJiraNow - 5);
    JiraIssue child = rich_issue("101", "WRKA-101", kJiraNow - 4);
    child.parent_id = "100";
    child.parent_key = "WRKA-100";
    child.subtask = true;
    parent.subtasks = {JiraSubtaskRef{"101", "WRKA-101"}};
    parent.links = {JiraIssueLink{"9001", "Blocks", "outward", "blocks", "101", "WRKA-101"}};
    parent.environment_adf = R"({"content":[],"type":"doc","version":1})";
    cache.put({parent, child});
  }

  // Problems of the answer to `method target` against schema `name`.
  std::string problems(const std::string& name, const std::string& method,
                       const std::string& target, const std::string& body = "") {
    auto r = cache.call(method, target, body);
    EXPECT_LT(r.status, 500) << r.body;
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    EXPECT_FALSE(d.HasParseError()) << r.body;
    return joined(OpenApiSchemaCheck(spec()).check(name, d));
  }

  JiraCompatCache cache;
};

TEST_F(JiraSchemaTest, TheCheckerFindsWhatIsWrong) {
  OpenApiSchemaCheck check(spec());
  rapidjson::Document d;
  d.Parse(R"({"id":"1","key":"A-1","bogus":1})");
  EXPECT_NE(joined(check.check("IssueBean", d)).find("bogus"), std::string::npos);
  d.Parse(R"({"queries":[{"structure":{}}]})");
  EXPECT_NE(joined(check.check("ParsedJqlQueries", d)).find("'query' missing"), std::string::npos);
  d.Parse(R"({"isLast":"yes"})");
  EXPECT_NE(joined(check.check("SearchAndReconcileResults", d)).find("boolean"), std::string::npos);
}

TEST_F(JiraSchemaTest, SearchJqlIsSearchAndReconcileResults) {
  EXPECT_EQ(problems("SearchAndReconcileResults", "GET",
                     "/rest/api/3/search/jql?jql=project%3DWRKA&fields=*all&maxResults=1"),
            "");
  EXPECT_EQ(problems("SearchAndReconcileResults", "POST", "/rest/api/3/search/jql",
                     R"({"jql":"project = WRKA","fields":["*navigable"]})"),
            "");
}

TEST_F(JiraSchemaTest, IssueIsIssueBean) {
  EXPECT_EQ(problems("IssueBean", "GET", "/rest/api/3/issue/WRKA-100"), "");
  EXPECT_EQ(problems("IssueBean", "GET", "/rest/api/2/issue/WRKA-101?expand=names"), "");
}

TEST_F(JiraSchemaTest, BulkfetchIsBulkIssueResults) {
  EXPECT_EQ(problems("BulkIssueResults", "POST", "/rest/api/3/issue/bulkfetch",
                     R"({"issueIdsOrKeys":["WRKA-100","101","NOPE-1"],"fields":["*all"]})"),
            "");
}

TEST_F(JiraSchemaTest, JqlParseIsParsedJqlQueries) {
  const std::string body =
      R"j({"queries":["project = WRKA AND (labels is EMPTY OR assignee = currentUser()) ORDER BY key",)j"
      R"j("status was Done", "summary ~ \"x\" AND priority in (High, Low)", "bad ="]})j";
  EXPECT_EQ(problems("ParsedJqlQueries", "POST", "/rest/api/3/jql/parse", body), "");
}

TEST_F(JiraSchemaTest, SiteAnswersAreUserServerInformationAndFieldDetails) {
  EXPECT_EQ(problems("User", "GET", "/rest/api/3/myself"), "");
  EXPECT_EQ(problems("ServerInformation", "GET", "/rest/api/3/serverInfo"), "");
  for (bool stored : {false, true}) {
    // Without a stored field list, then with one (custom fields listed too).
    if (stored) {
      SqlFieldCatalog(cache.scratch.db())
          .replace_all({{"summary", "Summary", false}, {"customfield_10016", "Story Points", true}},
                       kJiraNow);
    }
    auto r = cache.call("GET", "/rest/api/3/field");
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    ASSERT_TRUE(d.IsArray());
    bool custom = false;
    for (const auto& f : d.GetArray()) {
      EXPECT_EQ(joined(OpenApiSchemaCheck(spec()).check("FieldDetails", f)), "");
      custom = custom || f["custom"].GetBool();
    }
    EXPECT_EQ(custom, stored);
  }
}

TEST_F(JiraSchemaTest, ClassicSearchIsSearchResults) {
  EXPECT_EQ(problems("SearchResults", "GET",
                     "/rest/api/2/search?jql=project%3DWRKA&startAt=1&fields=*all"),
            "");
}

TEST_F(JiraSchemaTest, ErrorsAreErrorCollection) {
  EXPECT_EQ(problems("ErrorCollection", "GET", "/rest/api/3/issue/NOPE-1"), "");
  EXPECT_EQ(problems("ErrorCollection", "PUT", "/rest/api/3/issue/WRKA-100", "{}"), "");
  EXPECT_EQ(problems("ErrorCollection", "GET", "/rest/api/3/search/jql?jql=status%20%3D"), "");
}

}  // namespace
}  // namespace jirasync
