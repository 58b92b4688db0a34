#include <gtest/gtest.h>

#include <set>

#include "tests/jirasim/it/sim_test_support.hpp"

namespace jirasim::testing {
namespace {

struct Page {
  std::vector<std::string> ids;
  std::string token;
  bool is_last = false;
};

Page fetch(HttpClient& client, const std::string& jql, int max, const std::string& token,
           const std::string& fields = "") {
  std::string target =
      "/rest/api/3/search/jql?jql=" + url_escape(jql) + "&maxResults=" + std::to_string(max);
  if (!token.empty()) target += "&nextPageToken=" + url_escape(token);
  if (!fields.empty()) target += "&fields=" + fields;
  HttpResult r = client.get(target);
  EXPECT_EQ(r.status, 200) << r.body;
  auto doc = parse_json(r.body);
  Page p;
  for (const auto& issue : doc["issues"].GetArray()) p.ids.emplace_back(issue["id"].GetString());
  p.is_last = doc["isLast"].GetBool();
  if (doc.HasMember("nextPageToken")) p.token = doc["nextPageToken"].GetString();
  EXPECT_EQ(p.is_last, p.token.empty()) << "nextPageToken is absent exactly on the last page";
  return p;
}

TEST(SearchPaging, WalksToTheEndWithoutDuplicatesOrGaps) {
  RunningSim sim;
  const std::string jql = "project = WRKA ORDER BY updated ASC";
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  while (true) {
    Page p = fetch(sim.client, jql, 37, token);
    ++pages;
    for (const auto& id : p.ids) EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    if (p.is_last) break;
    token = p.token;
    ASSERT_LT(pages, 100);
  }
  EXPECT_EQ(seen.size(), 250u);
  EXPECT_EQ(pages, 7);  // ceil(250 / 37)
  auto count = parse_json(
      sim.client.post("/rest/api/3/search/approximate-count", "{\"jql\":\"project = WRKA\"}").body);
  EXPECT_EQ(count["count"].GetInt(), 250);
}

TEST(SearchPaging, DefaultReturnsIdsOnlyAndFiftyPerPage) {
  RunningSim sim;
  HttpResult r = sim.client.get("/rest/api/3/search/jql?jql=project%20%3D%20WMB");
  ASSERT_EQ(r.status, 200);
  auto doc = parse_json(r.body);
  ASSERT_EQ(doc["issues"].Size(), 50u);
  const auto& first = doc["issues"][0];
  EXPECT_TRUE(first.HasMember("id"));
  EXPECT_FALSE(first.HasMember("fields"));
  EXPECT_FALSE(doc["isLast"].GetBool());
}

TEST(SearchPaging, PageSizeIsCappedAt100WithFieldsAnd5000ForIdsOrKeys) {
  RunningSim sim({"--projects", "BIG:6000"});
  Page with_fields = fetch(sim.client, "project = BIG", 1000, "", "summary");
  EXPECT_EQ(with_fields.ids.size(), 100u);
  Page keys = fetch(sim.client, "project = BIG", 5000, "", "key");
  EXPECT_EQ(keys.ids.size(), 5000u);
  HttpResult too_many =
      sim.client.get("/rest/api/3/search/jql?jql=project%20%3D%20BIG&maxResults=5001");
  EXPECT_EQ(too_many.status, 400);
  EXPECT_NE(too_many.body.find("maxResults"), std::string::npos);
}

TEST(SearchPaging, PostReadsTheBodyAndPagesToo) {
  RunningSim sim;
  std::set<std::string> seen;
  std::string token;
  for (int i = 0; i < 20; ++i) {
    std::string body =
        "{\"jql\":\"project = WMB ORDER BY created DESC\",\"maxResults\":50,"
        "\"fields\":[\"summary\",\"status\"]";
    if (!token.empty()) body += ",\"nextPageToken\":\"" + token + "\"";
    body += "}";
    HttpResult r = sim.client.post("/rest/api/3/search/jql", body);
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = parse_json(r.body);
    for (const auto& issue : doc["issues"].GetArray()) {
      ASSERT_TRUE(issue["fields"]["summary"].IsString());
      EXPECT_TRUE(seen.insert(issue["key"].GetString()).second);
    }
    if (doc["isLast"].GetBool()) break;
    token = doc["nextPageToken"].GetString();
  }
  EXPECT_EQ(seen.size(), 120u);
}

TEST(SearchPaging, TamperedTokenIsRefusedWithJirasErrorEnvelope) {
  RunningSim sim;
  Page first = fetch(sim.client, "project = WRKA", 10, "");
  ASSERT_FALSE(first.token.empty());
  std::string bad = first.token;
  bad[bad.size() / 2] = bad[bad.size() / 2] == 'x' ? 'y' : 'x';
  HttpResult r = sim.client.get("/rest/api/3/search/jql?jql=project%20%3D%20WRKA&nextPageToken=" +
                                url_escape(bad));
  EXPECT_EQ(r.status, 400);
  auto doc = parse_json(r.body);
  ASSERT_TRUE(doc["errorMessages"].IsArray());
  EXPECT_EQ(doc["errorMessages"].Size(), 1u);
  EXPECT_TRUE(doc["errors"].IsObject());
  // A token of another query is refused too.
  HttpResult other = sim.client.get(
      "/rest/api/3/search/jql?jql=project%20%3D%20WMB&nextPageToken=" + url_escape(first.token));
  EXPECT_EQ(other.status, 400);
}

// Reads WRKA in `updated` order, 50 a page, editing the first issue already
// read after page one (it jumps to the end). Returns every id served.
std::set<std::string> read_while_editing(RunningSim& sim) {
  const std::string jql = "project = WRKA ORDER BY updated ASC";
  std::set<std::string> seen;
  Page p = fetch(sim.client, jql, 50, "");
  seen.insert(p.ids.begin(), p.ids.end());
  sim.control("/__sim/issues/" + p.ids.front(), R"({"summary":"edited between pages"})",
              boost::beast::http::verb::put);
  while (!p.is_last) {
    p = fetch(sim.client, jql, 50, p.token);
    seen.insert(p.ids.begin(), p.ids.end());
  }
  return seen;
}

TEST(SearchPaging, KeysetTokensResumeAfterTheLastIssueServed) {
  RunningSim sim;
  EXPECT_EQ(read_while_editing(sim).size(), 250u) << "nothing shifts past the position";
}

TEST(SearchPaging, OffsetTokensShiftWhenAnIssueMovesAsInJraServer69860) {
  RunningSim sim({"--projects", "WRKA:250", "--page-token-mode", "offset"});
  // The edited issue moved behind the offset: the one after page one's end
  // slid onto page one and is never served.
  EXPECT_EQ(read_while_editing(sim).size(), 249u);
  auto config = sim.control("/__sim/config", R"({"pageTokenMode":"keyset"})");
  EXPECT_STREQ(config["pageTokenMode"].GetString(), "keyset");
  EXPECT_EQ(read_while_editing(sim).size(), 250u);
}

TEST(SearchPaging, PageMutationsChangeTheProjectAfterEveryServedPage) {
  RunningSim sim({"--projects", "WRKA:250,WMB:120"});
  auto config = sim.control(
      "/__sim/config", R"({"pageMutations":{"project":"WRKA","edits":2,"creates":1,"deletes":1}})");
  EXPECT_EQ(config["pageMutations"]["edits"].GetInt(), 2);
  fetch(sim.client, "project = WMB", 10, "");
  fetch(sim.client, "project = WMB", 10, "");
  auto health = sim.control("/__sim/health", "", boost::beast::http::verb::get);
  EXPECT_EQ(health["issues"].GetInt(), 370) << "two pages: +2 created, -2 deleted";
  auto wrka = parse_json(
      sim.client.post("/rest/api/3/search/approximate-count", R"({"jql":"project = WRKA"})").body);
  EXPECT_EQ(wrka["count"].GetInt(), 250);
  auto created = parse_json(
      sim.client
          .get("/rest/api/3/search/jql?jql=" + url_escape("project = WRKA ORDER BY created DESC") +
               "&fields=summary&maxResults=2")
          .body);
  for (const auto& issue : created["issues"].GetArray()) {
    EXPECT_EQ(std::string(issue["fields"]["summary"].GetString()).rfind("Created while", 0), 0u);
  }

  sim.control("/__sim/config", R"({"pageMutations":null})");
  auto bad = sim.client.post("/__sim/config", R"({"pageMutations":{"project":"NOPE","edits":1}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("pageMutations.project"), std::string::npos) << bad.body;
  bad = sim.client.post("/__sim/config", R"({"pageTokenMode":"cursor"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("pageTokenMode"), std::string::npos) << bad.body;
}

}  // namespace
}  // namespace jirasim::testing
