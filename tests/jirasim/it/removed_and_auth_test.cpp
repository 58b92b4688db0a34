#include <gtest/gtest.h>

#include "tests/jirasim/it/sim_test_support.hpp"

namespace jirasim::testing {
namespace {

namespace http = boost::beast::http;

constexpr const char* kRemoved =
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full "
    "migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046";

TEST(RemovedSearch, AnswersGoneWithJirasBody) {
  RunningSim sim;
  for (const char* path :
       {"/rest/api/3/search?jql=project%3DWRKA", "/rest/api/2/search?jql=project%3DWRKA"}) {
    HttpResult get = sim.client.get(path);
    EXPECT_EQ(get.status, 410) << path;
    auto doc = parse_json(get.body);
    ASSERT_EQ(doc["errorMessages"].Size(), 1u);
    EXPECT_STREQ(doc["errorMessages"][0].GetString(), kRemoved);
    EXPECT_TRUE(doc["errors"].IsObject());
  }
  HttpResult post = sim.client.post("/rest/api/3/search", "{\"jql\":\"project = WRKA\"}");
  EXPECT_EQ(post.status, 410);
}

TEST(RemovedSearch, LegacyFlagServesStartAtPaging) {
  RunningSim sim({"--projects", "WRKA:30", "--legacy-search"});
  HttpResult r = sim.client.get("/rest/api/3/search?jql=project%3DWRKA&startAt=20&maxResults=50");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = parse_json(r.body);
  EXPECT_EQ(doc["total"].GetInt(), 30);
  EXPECT_EQ(doc["startAt"].GetInt(), 20);
  EXPECT_EQ(doc["issues"].Size(), 10u);
  EXPECT_TRUE(doc["issues"][0]["fields"].HasMember("summary"));  // *navigable by default
}

TEST(Auth, RefusesMissingOrWrongCredentialsWith401) {
  RunningSim sim;
  sim.client.set_credentials(std::nullopt);
  HttpResult none = sim.client.get("/rest/api/3/myself");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, "Client must be authenticated to access this resource.");
  EXPECT_FALSE(none.header("www-authenticate").empty());
  sim.client.set_credentials(std::make_pair("demo@jirasim.test", "wrong-token"));
  EXPECT_EQ(sim.client.get("/rest/api/3/search/jql?jql=project%3DWRKA").status, 401);
  sim.client.set_credentials(std::make_pair("nobody@example.com", "jirasim-demo-token"));
  EXPECT_EQ(sim.client.get("/rest/api/3/myself").status, 401);
  sim.client.set_credentials(std::make_pair("demo@jirasim.test", "jirasim-demo-token"));
  EXPECT_EQ(sim.client.get("/rest/api/3/myself").status, 200);
}

TEST(Auth, ConfiguredUserSeesOnlyTheProjectsTheyMayBrowse) {
  RunningSim sim({"--projects", "WRKA:40,WMB:30", "--user",
                  "ana@example.com:tok-ana:5f0c1a2b3c4d5e6f7a8b9c0d:Asia/Tokyo:WMB"});
  sim.client.set_credentials(std::make_pair("ana@example.com", "tok-ana"));
  auto me = parse_json(sim.client.get("/rest/api/3/myself").body);
  EXPECT_STREQ(me["accountId"].GetString(), "5f0c1a2b3c4d5e6f7a8b9c0d");
  EXPECT_STREQ(me["timeZone"].GetString(), "Asia/Tokyo");
  // Invisible, not an error: the other project's issues just are not there.
  auto all = parse_json(
      sim.client
          .post("/rest/api/3/search/approximate-count", "{\"jql\":\"project in (WRKA, WMB)\"}")
          .body);
  EXPECT_EQ(all["count"].GetInt(), 30);
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WRKA-1").status, 404);
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WMB-1").status, 200);
  auto projects = parse_json(sim.client.get("/rest/api/3/project/search").body);
  ASSERT_EQ(projects["values"].Size(), 1u);
  EXPECT_STREQ(projects["values"][0]["key"].GetString(), "WMB");
}

TEST(Counters, CountRequestsPerEndpointAndStatus) {
  RunningSim sim;
  sim.client.get("/rest/api/3/myself");
  sim.client.get("/rest/api/3/myself");
  sim.client.get("/rest/api/3/issue/WRKA-1");
  sim.client.get("/rest/api/3/issue/NOPE-1");
  auto c = parse_json(sim.client.get("/__sim/counters").body);
  EXPECT_EQ(c["endpoints"]["GET /rest/api/3/myself"]["200"].GetInt(), 2);
  EXPECT_EQ(c["endpoints"]["GET /rest/api/3/issue/{issueIdOrKey}"]["200"].GetInt(), 1);
  EXPECT_EQ(c["endpoints"]["GET /rest/api/3/issue/{issueIdOrKey}"]["404"].GetInt(), 1);
  EXPECT_EQ(c["total"].GetInt(), 4);
  sim.control("/__sim/counters/reset", "{}");
  auto after = parse_json(sim.client.get("/__sim/counters").body);
  EXPECT_EQ(after["total"].GetInt(), 0);
}

}  // namespace
}  // namespace jirasim::testing
