#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/api/cache_routes_fixture.hpp"

namespace jirasync::testing {
namespace {

using ::testing::HasSubstr;

class IssueRoutesTest : public CacheRoutesTest {
 protected:
  IssueRoutesTest() {
    cache("1", "WRKA-1", kNowMs - 2 * kHourMs);  // older than the project's hour
    cache("2", "WRKA-2", kNowMs - 60'000);
    cache("3", "WRKA-3", kNowMs - 60'000, DecisionKind::kInsert, "Done");
  }
  std::vector<std::string> keys(const rapidjson::Document& doc) {
    std::vector<std::string> out;
    for (const auto& r : doc["issues"].GetArray()) out.emplace_back(r["key"].GetString());
    return out;
  }
};

TEST_F(IssueRoutesTest, SearchPagesWithAKeysetCursorAndEveryRowSaysWhereItCameFrom) {
  auto first =
      call("GET", "/api/v1/issues?jql=project%20%3D%20WRKA%20ORDER%20BY%20key&limit=2", "", "read");
  ASSERT_EQ(first.status, 200) << first.body;
  auto doc = json(first);
  EXPECT_EQ(keys(doc), (std::vector<std::string>{"WRKA-1", "WRKA-2"}));
  EXPECT_EQ(std::string(doc["source"].GetString()), "cache");
  const auto& row = doc["issues"][0];
  EXPECT_EQ(std::string(row["source"].GetString()), "cache");
  EXPECT_EQ(row["synced_ms"].GetInt64(), kNowMs - 2 * kHourMs);
  EXPECT_EQ(row["age_ms"].GetInt64(), 2 * kHourMs);
  EXPECT_TRUE(row["stale"].GetBool());
  EXPECT_FALSE(doc["issues"][1]["stale"].GetBool());
  EXPECT_EQ(std::string(row["project"].GetString()), "WRKA");
  EXPECT_TRUE(row["labels"].IsArray());
  EXPECT_TRUE(row["resolved_ms"].IsNull());
  ASSERT_TRUE(doc["next_cursor"].IsString());

  auto next = call("GET",
                   "/api/v1/issues?jql=project%20%3D%20WRKA%20ORDER%20BY%20key&limit=2&cursor=" +
                       std::string(doc["next_cursor"].GetString()),
                   "", "read");
  ASSERT_EQ(next.status, 200) << next.body;
  auto second = json(next);
  EXPECT_EQ(keys(second), (std::vector<std::string>{"WRKA-3"}));
  EXPECT_TRUE(second["next_cursor"].IsNull());
  EXPECT_TRUE(sync.asked.empty()) << "the cache source never asks for a refresh";
}

TEST_F(IssueRoutesTest, FieldsPicksTheRowMembers) {
  auto doc = json(call("GET", "/api/v1/issues?jql=key%3DWRKA-2&fields=status,summary", "", "read"));
  const auto& row = doc["issues"][0];
  EXPECT_TRUE(row.HasMember("status"));
  EXPECT_TRUE(row.HasMember("key"));
  EXPECT_TRUE(row.HasMember("stale"));
  EXPECT_FALSE(row.HasMember("priority"));
}

TEST_F(IssueRoutesTest, TemplatesRunWithTheirParameters) {
  auto doc = json(call("GET", "/api/v1/issues?template=by-status&param.status=Done", "", "read"));
  EXPECT_EQ(keys(doc), (std::vector<std::string>{"WRKA-3"}));
}

TEST_F(IssueRoutesTest, EachBadParameterIsNamed) {
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&limit=0")), "limit");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&limit=1001")), "limit");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&limit=ten")), "limit");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&cursor=nonsense")),
            "cursor");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&fields=status,colour")),
            "fields");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&source=jira")), "source");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?jql=project%3DWRKA&budget=soon")), "budget");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues")), "jql");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?template=nope")), "template");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?template=by-status")), "param.status");
  EXPECT_EQ(
      bad_parameter(call("GET", "/api/v1/issues?template=by-status&param.status=x&param.y=1")),
      "param.y");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues?template=by-status&jql=x")), "template");
  auto bad_jql = call("GET", "/api/v1/issues?jql=project%20%3D%20%3D%20WRKA");
  EXPECT_EQ(bad_parameter(bad_jql), "jql");
  EXPECT_THAT(bad_jql.body, HasSubstr("line 1"));
}

TEST_F(IssueRoutesTest, AutoRefreshesOnlyTheStaleRowsThroughThePipeline) {
  auto doc = json(
      call("GET", "/api/v1/issues?jql=project%3DWRKA%20ORDER%20BY%20key&source=auto", "", "read"));
  ASSERT_EQ(sync.asked.size(), 1u);
  EXPECT_EQ(sync.asked[0].project, "WRKA");
  EXPECT_EQ(sync.asked[0].keys, (std::vector<std::string>{"WRKA-1"}));
  EXPECT_EQ(std::string(doc["source"].GetString()), "auto");
  EXPECT_EQ(std::string(doc["issues"][0]["source"].GetString()), "jira");
  EXPECT_FALSE(doc["issues"][0]["stale"].GetBool());
  EXPECT_EQ(std::string(doc["issues"][1]["source"].GetString()), "cache");
  EXPECT_EQ(std::string(doc["note"].GetString()), "");
}

TEST_F(IssueRoutesTest, AutoServesTheCacheMarkedStaleWhenTheRefreshDoesNotFinishInTime) {
  sync.finish = false;
  auto doc = json(call("GET", "/api/v1/issues?jql=key%3DWRKA-1&source=auto&budget=2s", "", "read"));
  EXPECT_EQ(std::string(doc["issues"][0]["source"].GetString()), "cache");
  EXPECT_TRUE(doc["issues"][0]["stale"].GetBool());
  EXPECT_THAT(doc["note"].GetString(), HasSubstr("did not finish within 2s"));
}

TEST_F(IssueRoutesTest, LiveRefreshesEverySelectedCachedIssue) {
  auto doc = json(call("GET", "/api/v1/issues?jql=project%3DWRKA&source=live", "", "read"));
  ASSERT_EQ(sync.asked.size(), 1u);
  EXPECT_EQ(sync.asked[0].keys.size(), 3u);
  for (const auto& r : doc["issues"].GetArray()) EXPECT_STREQ(r["source"].GetString(), "jira");
  EXPECT_THAT(doc["note"].GetString(), HasSubstr("through the pipeline"));
}

TEST_F(IssueRoutesTest, OneIssueResolvesAnOldKeyWithItsLocalDataAndHistory) {
  cache("1", "WRKA-10", kNowMs - 2 * kHourMs, DecisionKind::kMove);
  ASSERT_EQ(call("POST", "/api/v1/issues/WRKA-10/notes", R"({"text":"seen on staging"})").status,
            201);
  ASSERT_EQ(call("PUT", "/api/v1/issues/WRKA-10/tags/regression").status, 200);
  auto response = call("GET", "/api/v1/issues/WRKA-1", "", "read");
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = json(response);
  EXPECT_STREQ(doc["key_requested"].GetString(), "WRKA-1");
  EXPECT_STREQ(doc["issue"]["key"].GetString(), "WRKA-10");
  EXPECT_TRUE(doc["issue"]["stale"].GetBool());
  EXPECT_TRUE(doc["issue"]["comments"].IsArray());
  EXPECT_STREQ(doc["issue"]["custom_fields"]["customfield_10001"]["value"].GetString(), "Gold");
  EXPECT_STREQ(doc["notes"][0]["text"].GetString(), "seen on staging");
  EXPECT_STREQ(doc["tags"][0].GetString(), "regression");
  EXPECT_GE(doc["history"].Size(), 2u);
  EXPECT_TRUE(sync.asked.empty());
}

TEST_F(IssueRoutesTest, MaxAgeRefreshesAStaleIssueOrSaysWhyNot) {
  auto fresh = json(call("GET", "/api/v1/issues/WRKA-1?max_age=30m", "", "read"));
  ASSERT_EQ(sync.asked.size(), 1u);
  EXPECT_STREQ(fresh["issue"]["source"].GetString(), "jira");
  EXPECT_FALSE(fresh["issue"]["stale"].GetBool());

  clock.advance_ms(2 * kHourMs);
  sync.finish = false;
  auto stale = json(call("GET", "/api/v1/issues/WRKA-2?max_age=30m", "", "read"));
  EXPECT_STREQ(stale["issue"]["source"].GetString(), "cache");
  EXPECT_TRUE(stale["issue"]["stale"].GetBool());
  EXPECT_THAT(stale["note"].GetString(), HasSubstr("did not finish"));

  sync.asked.clear();
  auto young = json(call("GET", "/api/v1/issues/WRKA-3?max_age=1d", "", "read"));
  EXPECT_TRUE(sync.asked.empty()) << "younger than max_age: no refresh";
  EXPECT_FALSE(young["issue"]["stale"].GetBool());
}

TEST_F(IssueRoutesTest, UnknownKeysAndBadMaxAge) {
  auto missing = call("GET", "/api/v1/issues/NOPE-1", "", "read");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr("not_found"));
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/issues/WRKA-1?max_age=old")), "max_age");
}

}  // namespace
}  // namespace jirasync::testing
