// The real jirasync-api over a cache the real pipeline synced from jirasim:
// an API key made with `jirasync apikey create`, every issue paged through
// GET /api/v1/issues with the keyset cursor, an old key resolved, local data
// written with an admin key (refused with a read key), and `max_age`
// refreshing a stale issue through the pipeline (jirasim's counters say so).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <set>

#include "common/http/http_connection.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kBulkfetch = "POST /rest/api/3/issue/bulkfetch";

// The key `jirasync apikey create` printed (its last line; stderr says how to use it).
std::string make_key(PipelineHarness& h, const std::string& name, const std::string& scope) {
  const auto made = h.cli({"apikey", "create", name, "--scope", scope});
  EXPECT_EQ(made.exit_code, 0) << made.output;
  std::string out = made.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.substr(out.rfind('\n') + 1);
}

class ApiClient {
 public:
  explicit ApiClient(int port)
      : connection_(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port)),
                    HttpConnectionOptions{}) {}
  HttpResponse send(const std::string& method, const std::string& target, const std::string& key,
                    const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.headers["Authorization"] = "Bearer " + key;
    if (!body.empty()) request.headers["Content-Type"] = "application/json";
    request.body = body;
    return connection_.send(request);
  }
  rapidjson::Document json(const std::string& method, const std::string& target,
                           const std::string& key, const std::string& body = "") {
    const auto response = send(method, target, key, body);
    rapidjson::Document doc;
    doc.Parse(response.body.c_str());
    EXPECT_EQ(response.status / 100, 2) << method << " " << target << ": " << response.body;
    EXPECT_FALSE(doc.HasParseError()) << response.body;
    return doc;
  }

 private:
  HttpConnection connection_;
};

TEST(ApiCache, TheRealApiServesTheSyncedCacheWithKeysAndRefreshesThroughThePipeline) {
  PipelineHarness h;
  h.start_simulator("APIA:250");
  ProjectOptions apia("APIA");
  apia.cache_ttl = "2s";
  h.configure({.projects = {apia}, .jira_max_attempts = 1});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  const std::string reader = make_key(h, "reader", "read");
  const std::string admin = make_key(h, "operator", "admin");
  ASSERT_FALSE(reader.empty());

  const int port = testing::free_port();
  // Unlimited per-key rate: the test polls.
  h.start_service("api", "",
                  {{"JIRASYNC_API_LISTEN", "127.0.0.1:" + std::to_string(port)},
                   {"JIRASYNC_API_RATE_PER_S", "0"}});
  ASSERT_TRUE(testing::wait_until(
      [&] {
        try {
          return ApiClient(port).send("GET", "/api/v1/templates", reader).status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      30s))
      << h.logs();
  ApiClient api(port);

  // Every synced issue, in pages of 100 by the keyset cursor, each with its origin.
  std::set<std::string> keys;
  std::string cursor;
  int pages = 0;
  do {
    auto page = api.json("GET",
                         "/api/v1/issues?jql=project%20%3D%20APIA%20ORDER%20BY%20key&limit=100" +
                             (cursor.empty() ? "" : "&cursor=" + cursor),
                         reader);
    ++pages;
    for (const auto& row : page["issues"].GetArray()) {
      keys.insert(row["key"].GetString());
      EXPECT_STREQ(row["source"].GetString(), "cache");
      EXPECT_GT(row["synced_ms"].GetInt64(), 0);
    }
    cursor = page["next_cursor"].IsString() ? page["next_cursor"].GetString() : "";
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(keys.size(), 250u);
  EXPECT_EQ(pages, 3);

  // Local data: admin writes, a read key may not.
  EXPECT_EQ(api.send("PUT", "/api/v1/issues/APIA-7/tags/smoke", reader).status, 403);
  api.json("PUT", "/api/v1/issues/APIA-7/tags/smoke", admin);
  auto tagged = api.json("GET", "/api/v1/issues?jql=local.tag%20%3D%20smoke", reader);
  ASSERT_EQ(tagged["issues"].Size(), 1u);
  EXPECT_STREQ(tagged["issues"][0]["key"].GetString(), "APIA-7");
  EXPECT_EQ(api.send("GET", "/api/v1/issues/NOPE-1", reader).status, 404);
  EXPECT_EQ(api.send("GET", "/api/v1/issues?jql=project%20%3D", reader).status, 400);

  // Past the 2 s cache_ttl, max_age refreshes the issue through the pipeline:
  // one refresh run, one bulkfetch at jirasim.
  h.sim().update_issue("APIA-9", R"({"summary":"Changed in Jira after the sync"})");
  ASSERT_TRUE(testing::wait_until(
      [&] { return api.json("GET", "/api/v1/issues/APIA-9", reader)["issue"]["stale"].GetBool(); },
      30s, 250ms));
  h.sim().reset_counters();
  auto fresh = api.json("GET", "/api/v1/issues/APIA-9?max_age=1s&budget=30s", reader);
  EXPECT_STREQ(fresh["issue"]["source"].GetString(), "jira")
      << fresh["note"].GetString() << h.logs();
  EXPECT_FALSE(fresh["issue"]["stale"].GetBool());
  EXPECT_STREQ(fresh["issue"]["summary"].GetString(), "Changed in Jira after the sync");
  EXPECT_EQ(h.sim().requests(kBulkfetch, "200"), 1);
}

}  // namespace
}  // namespace jirasync::e2e
