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

}  // namespace
}  // namespace jirasim::testing
