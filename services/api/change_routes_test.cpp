#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/api/cache_routes_fixture.hpp"

namespace jirasync::testing {
namespace {

using ::testing::HasSubstr;

class ChangeRoutesTest : public CacheRoutesTest {
 protected:
  ChangeRoutesTest() {
    cache("1", "WRKA-1", kNowMs - 3 * 86'400'000LL);
    cache("2", "WRKA-2", kNowMs - 60'000);
  }
};

TEST_F(ChangeRoutesTest, FeedSinceADurationOrTheViewersLastLook) {
  auto week = json(call("GET", "/api/v1/changes?since=-7d", "", "read"));
  ASSERT_EQ(week["changes"].Size(), 2u);
  EXPECT_EQ(week["since_ms"].GetInt64(), kNowMs - 7 * 86'400'000LL);
  EXPECT_STREQ(week["changes"][0]["key"].GetString(), "WRKA-2");
  EXPECT_STREQ(week["changes"][0]["badge"].GetString(), "new");

  auto day = json(call("GET", "/api/v1/changes?since=1d&kind=new,updated", "", "read"));
  EXPECT_EQ(day["changes"].Size(), 1u);

  auto seen = call("POST", "/api/v1/changes/seen", R"({"viewer":"ada"})", "read");
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(json(seen)["seen_ms"].GetInt64(), kNowMs);
  auto after = json(call("GET", "/api/v1/changes?viewer=ada", "", "read"));
  EXPECT_EQ(after["since_ms"].GetInt64(), kNowMs);
  EXPECT_EQ(after["changes"].Size(), 0u);
}

TEST_F(ChangeRoutesTest, BadFeedParameters) {
  auto since = call("GET", "/api/v1/changes?since=yesterday-ish", "", "read");
  EXPECT_EQ(bad_parameter(since), "since");
  EXPECT_THAT(since.body, HasSubstr("neither a duration"));
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/changes?kind=new,odd", "", "read")), "kind");
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/changes?limit=0", "", "read")), "limit");
  EXPECT_EQ(bad_parameter(call("POST", "/api/v1/changes/seen", "{}", "read")), "viewer");
  EXPECT_EQ(
      bad_parameter(call("POST", "/api/v1/changes/seen", R"({"viewer":"a","at_ms":"x"})", "read")),
      "at_ms");
  auto body = call("POST", "/api/v1/changes/seen", "{not json", "read");
  EXPECT_EQ(body.status, 400);
  EXPECT_THAT(body.body, HasSubstr("bad_body"));
}

TEST_F(ChangeRoutesTest, LinksCarryBadgesAgainstTheLastReview) {
  ASSERT_EQ(call("PUT", "/api/v1/issues/WRKA-1/links/testcase/TC-17").status, 200);
  auto before = json(call("GET", "/api/v1/links/testcase/TC-17", "", "read"));
  EXPECT_TRUE(before["reviewed_ms"].IsNull());
  ASSERT_EQ(before["tickets"].Size(), 1u);
  EXPECT_STREQ(before["tickets"][0]["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(before["tickets"][0]["badge"].GetString(), "new");
  EXPECT_TRUE(before["tickets"][0].HasMember("stale"));

  clock.advance_ms(1000);
  auto review = call("POST", "/api/v1/links/testcase/TC-17/review");
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(json(review)["reviewed_ms"].GetInt64(), kNowMs + 1000);
  auto after = json(call("GET", "/api/v1/links/testcase/TC-17", "", "read"));
  EXPECT_EQ(after["reviewed_ms"].GetInt64(), kNowMs + 1000);
  EXPECT_TRUE(after["tickets"][0]["badge"].IsNull());

  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/links/Test%20Case/TC-17", "", "read")), "type");
}

TEST_F(ChangeRoutesTest, TemplatesAndJqlValidation) {
  auto list = json(call("GET", "/api/v1/templates", "", "read"));
  EXPECT_GE(list["templates"].Size(), 20u);
  bool found = false;
  for (const auto& t : list["templates"].GetArray()) {
    if (std::string(t["name"].GetString()) != "by-status") continue;
    found = true;
    EXPECT_STREQ(t["params"][0]["name"].GetString(), "status");
    EXPECT_TRUE(t["params"][0]["default"].IsNull());
  }
  EXPECT_TRUE(found);

  auto ok = json(call("POST", "/api/v1/jql/validate",
                      R"({"jql":"project = WRKA ORDER BY key DESC"})", "read"));
  EXPECT_TRUE(ok["valid"].GetBool());
  EXPECT_STREQ(ok["order_by"][0]["field"].GetString(), "key");
  EXPECT_STREQ(ok["order_by"][0]["direction"].GetString(), "desc");

  auto bad = json(call("POST", "/api/v1/jql/validate", R"({"jql":"project = WRKA AND"})", "read"));
  EXPECT_FALSE(bad["valid"].GetBool());
  EXPECT_THAT(bad["error"]["message"].GetString(), HasSubstr("Error in the JQL Query"));
  EXPECT_EQ(bad["error"]["line"].GetInt(), 1);
  EXPECT_GT(bad["error"]["column"].GetInt(), 1);

  EXPECT_EQ(bad_parameter(call("POST", "/api/v1/jql/validate", "{}", "read")), "jql");
}

}  // namespace
}  // namespace jirasync::testing
