#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include "tests/jirasim/it/sim_test_support.hpp"

namespace jirasim::testing {
namespace {

namespace http = boost::beast::http;

TEST(RateLimit, OverTheBucketAnswers429WithJirasHeaders) {
  RunningSim sim({"--projects", "WRKA:10", "--rate-limit", "1/s", "--rate-burst", "3"});
  HttpResult refused;
  int ok = 0;
  for (int i = 0; i < 10 && refused.status == 0; ++i) {
    HttpResult r = sim.client.get("/rest/api/3/myself");
    if (r.status == 429) refused = r;
    if (r.status == 200) {
      ++ok;
      EXPECT_EQ(r.header("x-ratelimit-limit"), "3");
    }
  }
  ASSERT_EQ(refused.status, 429);
  EXPECT_GE(ok, 3);
  EXPECT_EQ(refused.header("retry-after"), "1");
  EXPECT_EQ(refused.header("x-ratelimit-limit"), "3");
  EXPECT_EQ(refused.header("x-ratelimit-remaining"), "0");
  // What python-jira reads when it computes its own wait.
  EXPECT_EQ(refused.header("x-ratelimit-fillrate"), "1");
  EXPECT_EQ(refused.header("x-ratelimit-interval-seconds"), "1");
  EXPECT_EQ(refused.header("x-ratelimit-nearlimit"), "true");
  EXPECT_TRUE(std::regex_match(refused.header("x-ratelimit-reset"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\dZ)")))
      << refused.header("x-ratelimit-reset");
  auto c = parse_json(sim.client.get("/__sim/counters").body);
  EXPECT_GE(c["endpoints"]["GET /rest/api/3/myself"]["429"].GetInt(), 1);
  // Off again at run time.
  sim.control("/__sim/config", "{\"rateLimit\":null}");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(sim.client.get("/rest/api/3/myself").status, 200);
}

std::string search_summary(RunningSim& sim, const std::string& key) {
  auto doc = parse_json(
      sim.client.get("/rest/api/3/search/jql?fields=summary&jql=" + url_escape("key = " + key))
          .body);
  if (doc["issues"].Empty()) return "";
  return doc["issues"][0]["fields"]["summary"].GetString();
}

TEST(SearchLag, SearchShowsTheOldVersionForAWhileGetIssueTheNewOne) {
  RunningSim sim({"--projects", "WRKA:20", "--search-lag-ms", "3000"});
  std::string before = search_summary(sim, "WRKA-3");
  ASSERT_FALSE(before.empty());
  sim.control("/__sim/issues/WRKA-3", "{\"summary\":\"renamed while indexing\"}", http::verb::put);
  auto issue = parse_json(sim.client.get("/rest/api/3/issue/WRKA-3?fields=summary").body);
  EXPECT_STREQ(issue["fields"]["summary"].GetString(), "renamed while indexing");
  EXPECT_EQ(search_summary(sim, "WRKA-3"), before);

  auto created = sim.control("/__sim/issues", "{\"project\":\"WRKA\",\"summary\":\"brand new\"}");
  std::string key = created["key"].GetString();
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/" + key).status, 200);
  EXPECT_EQ(search_summary(sim, key), "");  // not indexed yet

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (search_summary(sim, "WRKA-3") != "renamed while indexing") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "search never caught up";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll interval
  }
  EXPECT_EQ(search_summary(sim, key), "brand new");
}

TEST(Faults, ErrorStatusesByFlagAndAtRunTime) {
  RunningSim sim({"--projects", "WRKA:5", "--fault-error-rate", "1", "--fault-statuses", "500"});
  HttpResult r500 = sim.client.get("/rest/api/3/myself");
  EXPECT_EQ(r500.status, 500);
  sim.control("/__sim/config", "{\"faults\":{\"errorRate\":1,\"errorStatuses\":[503]}}");
  HttpResult r503 = sim.client.get("/rest/api/3/myself");
  EXPECT_EQ(r503.status, 503);
  EXPECT_FALSE(r503.header("retry-after").empty());
  sim.control("/__sim/config", "{\"faults\":{\"errorRate\":1,\"errorStatuses\":[502]}}");
  HttpResult r502 = sim.client.get("/rest/api/3/myself");
  EXPECT_EQ(r502.status, 502);
  EXPECT_NE(r502.header("content-type").find("text/html"), std::string::npos);
  sim.control("/__sim/config", "{\"faults\":{}}");
  EXPECT_EQ(sim.client.get("/rest/api/3/myself").status, 200);
}

TEST(Faults, LatencyIsAdded) {
  RunningSim sim({"--projects", "WRKA:5"});
  sim.control("/__sim/config", "{\"faults\":{\"latencyMs\":300}}");
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sim.client.get("/rest/api/3/myself").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST(Faults, ConnectionClosedMidBody) {
  RunningSim sim({"--projects", "WRKA:5"});
  sim.control("/__sim/config", "{\"faults\":{\"disconnectRate\":1}}");
  HttpResult r = sim.client.get("/rest/api/3/issue/WRKA-1");
  EXPECT_FALSE(r.transport_error.empty()) << "status " << r.status;
  sim.control("/__sim/config", "{\"faults\":{}}");
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WRKA-1").status, 200);
}

TEST(Faults, MalformedJsonAndWrongContentType) {
  RunningSim sim({"--projects", "WRKA:5"});
  sim.control("/__sim/config", "{\"faults\":{\"malformedRate\":1}}");
  HttpResult bad = sim.client.get("/rest/api/3/issue/WRKA-1");
  EXPECT_EQ(bad.status, 200);
  rapidjson::Document doc;
  doc.Parse(bad.body.c_str());
  EXPECT_TRUE(doc.HasParseError());
  sim.control("/__sim/config", "{\"faults\":{\"wrongContentTypeRate\":1}}");
  HttpResult html = sim.client.get("/rest/api/3/issue/WRKA-1");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.header("content-type").find("application/json"), std::string::npos);
  EXPECT_NE(html.header("content-type").find("text/html"), std::string::npos);
}

TEST(MovedIssue, OldKeyStillResolvesToTheSameId) {
  RunningSim sim({"--projects", "WRKA:20,WMB:10"});
  auto before = parse_json(sim.client.get("/rest/api/3/issue/WRKA-5?fields=summary").body);
  auto moved = sim.control("/__sim/issues/WRKA-5/move", "{\"project\":\"WMB\"}");
  EXPECT_STREQ(moved["key"].GetString(), "WMB-11");
  for (const char* ref : {"WRKA-5", "WMB-11"}) {
    HttpResult r = sim.client.get(std::string("/rest/api/3/issue/") + ref + "?fields=project");
    ASSERT_EQ(r.status, 200) << ref;
    auto doc = parse_json(r.body);
    EXPECT_STREQ(doc["id"].GetString(), before["id"].GetString());
    EXPECT_STREQ(doc["key"].GetString(), "WMB-11");
    EXPECT_STREQ(doc["fields"]["project"]["key"].GetString(), "WMB");
  }
  auto count = parse_json(
      sim.client.post("/rest/api/3/search/approximate-count", "{\"jql\":\"project = WMB\"}").body);
  EXPECT_EQ(count["count"].GetInt(), 11);
}

TEST(JqlErrors, InvalidJqlIs400WithErrorMessages) {
  RunningSim sim({"--projects", "WRKA:5"});
  for (const char* jql : {"project = WRKA AND (", "universe = 42", "project = WRKA ORDER BY"}) {
    HttpResult r = sim.client.get("/rest/api/3/search/jql?jql=" + url_escape(jql));
    EXPECT_EQ(r.status, 400) << jql;
    auto doc = parse_json(r.body);
    ASSERT_TRUE(doc.HasMember("errorMessages")) << r.body;
    ASSERT_EQ(doc["errorMessages"].Size(), 1u);
    EXPECT_GT(doc["errorMessages"][0].GetStringLength(), 10u);
  }
  HttpResult universe = sim.client.get("/rest/api/3/search/jql?jql=" + url_escape("universe = 42"));
  EXPECT_NE(universe.body.find("universe"), std::string::npos);
  HttpResult unbounded = sim.client.get("/rest/api/3/search/jql?jql=" + url_escape("order by key"));
  EXPECT_EQ(unbounded.status, 400);

  auto parsed = parse_json(sim.client
                               .post("/rest/api/3/jql/parse",
                                     "{\"queries\":[\"project = WRKA ORDER BY updated DESC\","
                                     "\"invalid query\"]}")
                               .body);
  ASSERT_EQ(parsed["queries"].Size(), 2u);
  EXPECT_TRUE(parsed["queries"][0]["structure"].IsObject());
  EXPECT_TRUE(parsed["queries"][1]["errors"].IsArray());
}

TEST(BulkFetch, ReturnsKnownIssuesAndReportsRetriableErrors) {
  RunningSim sim({"--projects", "WRKA:20"});
  HttpResult r = sim.client.post("/rest/api/3/issue/bulkfetch",
                                 "{\"issueIdsOrKeys\":[\"WRKA-1\",\"10002\",\"NOPE-1\","
                                 "\"99999999\"],\"fields\":[\"summary\"]}");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = parse_json(r.body);
  ASSERT_EQ(doc["issues"].Size(), 2u);
  EXPECT_STREQ(doc["issues"][0]["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(doc["issues"][1]["id"].GetString(), "10002");
  // Not found = left out of both lists (BulkIssueResults in the spec).
  EXPECT_EQ(doc["issueErrors"].Size(), 0u);

  sim.control("/__sim/config", "{\"faults\":{\"issueErrorRate\":1}}");
  auto errs = parse_json(
      sim.client.post("/rest/api/3/issue/bulkfetch", "{\"issueIdsOrKeys\":[\"WRKA-1\",\"WRKA-2\"]}")
          .body);
  EXPECT_EQ(errs["issues"].Size(), 0u);
  ASSERT_EQ(errs["issueErrors"].Size(), 2u);
  EXPECT_STREQ(errs["issueErrors"][0]["id"].GetString(), "10001");
  EXPECT_TRUE(errs["issueErrors"][0]["errorMessage"].IsString());

  std::string many = "{\"issueIdsOrKeys\":[";
  for (int i = 1; i <= 101; ++i)
    many += (i > 1 ? "," : "") + std::string("\"WRKA-") + std::to_string(i) + "\"";
  EXPECT_EQ(sim.client.post("/rest/api/3/issue/bulkfetch", many + "]}").status, 400);
  EXPECT_EQ(sim.client.post("/rest/api/3/issue/bulkfetch", "{\"issueIdsOrKeys\":[]}").status, 400);
}

TEST(ChangeWhilePaging, UpdatedIssuesMoveLaterAndDeletedOnesVanish) {
  RunningSim sim({"--projects", "WRKA:120"});
  const std::string jql = url_escape("project = WRKA ORDER BY updated ASC");
  auto all = parse_json(
      sim.client.get("/rest/api/3/search/jql?fields=key&maxResults=5000&jql=" + jql).body);
  std::vector<std::string> order;
  for (const auto& i : all["issues"].GetArray()) order.emplace_back(i["key"].GetString());
  ASSERT_EQ(order.size(), 120u);

  std::vector<std::string> seen;
  std::string token;
  int page = 0;
  const std::string seen_early = order[3], unseen = order[60], deleted = order[90];
  while (true) {
    std::string target = "/rest/api/3/search/jql?fields=key&maxResults=20&jql=" + jql;
    if (!token.empty()) target += "&nextPageToken=" + url_escape(token);
    auto doc = parse_json(sim.client.get(target).body);
    for (const auto& i : doc["issues"].GetArray()) seen.emplace_back(i["key"].GetString());
    if (++page == 1) {
      sim.control("/__sim/issues/" + seen_early, "{\"labels\":[\"touched\"]}", http::verb::put);
      sim.control("/__sim/issues/" + unseen, "{\"labels\":[\"touched\"]}", http::verb::put);
      sim.client.request(http::verb::delete_, "/__sim/issues/" + deleted);
    }
    if (doc["isLast"].GetBool()) break;
    token = doc["nextPageToken"].GetString();
    ASSERT_LT(page, 50);
  }
  auto count = [&](const std::string& k) { return std::count(seen.begin(), seen.end(), k); };
  EXPECT_EQ(count(deleted), 0);
  EXPECT_EQ(count(unseen), 1);
  EXPECT_EQ(count(seen_early), 2);  // page 1, and again at the end: a position, not a snapshot
  ASSERT_GE(seen.size(), 2u);
  std::set<std::string> tail{seen[seen.size() - 1], seen[seen.size() - 2]};
  EXPECT_EQ(tail, (std::set<std::string>{seen_early, unseen}));
  EXPECT_EQ(seen.size(), 120u);  // 120 - 1 deleted + 1 seen twice
}

}  // namespace
}  // namespace jirasim::testing
