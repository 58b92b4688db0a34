// Freshness you can see: with a short cache_ttl, `show --max-age` and
// `refresh` fetch exactly the stale tickets again (the simulator's request
// counters say so), and an unreachable Jira serves the cache, saying so.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <map>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kBulkfetch = "POST /rest/api/3/issue/bulkfetch";

rapidjson::Document shown(PipelineHarness& h, const std::vector<std::string>& args) {
  std::vector<std::string> all = {"show"};
  all.insert(all.end(), args.begin(), args.end());
  all.push_back("--format");
  all.push_back("json");
  const auto r = h.cli(all);
  rapidjson::Document d;
  d.Parse(r.output.c_str());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_FALSE(d.HasParseError()) << r.output;
  return d;
}

bool stale(PipelineHarness& h, const std::string& key) {
  const auto d = shown(h, {key});
  return d.IsObject() && d["freshness"]["stale"].GetBool();
}

TEST(Freshness, ShowMaxAgeAndRefreshFetchExactlyTheStaleTicketsAndServeTheCacheWhenJiraIsDown) {
  PipelineHarness h;
  h.start_simulator("WRKA:40");
  ProjectOptions wrka("WRKA");
  wrka.cache_ttl = "3s";
  h.configure({.projects = {wrka}, .jira_max_attempts = 1});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  EXPECT_FALSE(stale(h, "WRKA-1")) << "just synced";
  h.sim().update_issue("WRKA-5", R"({"summary":"Changed in Jira after the sync"})");

  // Past the cache_ttl every ticket is stale (polled: the TTL is wall time).
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!stale(h, "WRKA-1") && std::chrono::steady_clock::now() < deadline) {
  }
  ASSERT_TRUE(stale(h, "WRKA-1"));

  // refresh: two keys, one refresh run, one bulkfetch; both fresh after it.
  h.sim().reset_counters();
  const auto refreshed = h.cli({"refresh", "WRKA-1", "WRKA-2"});
  ASSERT_EQ(refreshed.exit_code, 0) << refreshed.output << h.logs();
  EXPECT_EQ(h.sim().requests(kBulkfetch, "200"), 1);
  EXPECT_FALSE(stale(h, "WRKA-1"));
  EXPECT_FALSE(stale(h, "WRKA-2"));
  EXPECT_TRUE(stale(h, "WRKA-3")) << "a refresh of two keys vouches for no other";

  // show --max-age: a fresh ticket costs no request; a stale one exactly one
  // bulkfetch, and shows what Jira has now.
  h.sim().reset_counters();
  auto fresh = shown(h, {"WRKA-1", "--max-age", "1h"});
  EXPECT_STREQ(fresh["freshness"]["source"].GetString(), "cache");
  EXPECT_EQ(h.sim().total_requests(), 0);
  auto five = shown(h, {"WRKA-5", "--max-age", "1s"});
  EXPECT_STREQ(five["freshness"]["source"].GetString(), "jira");
  EXPECT_FALSE(five["freshness"]["stale"].GetBool());
  EXPECT_STREQ(five["summary"].GetString(), "Changed in Jira after the sync");
  EXPECT_EQ(h.sim().requests(kBulkfetch, "200"), 1);
  EXPECT_EQ(h.sim().requests(kBulkfetch, "total"), 1);

  // search --source auto: of four rows, the two refreshed above are fresh and
  // served from the cache; the two stale ones are fetched (one refresh run,
  // one bulkfetch) and say so.
  h.sim().reset_counters();
  const auto autos = h.cli({"search", "key IN (WRKA-1, WRKA-2, WRKA-3, WRKA-4) ORDER BY key ASC",
                            "--source", "auto", "--format", "jsonl"});
  ASSERT_EQ(autos.exit_code, 0) << autos.output;
  std::map<std::string, std::string> source_of;
  for (size_t at = 0; at < autos.output.size();) {
    const size_t end = autos.output.find('\n', at);
    const std::string line = autos.output.substr(at, end - at);
    at = end == std::string::npos ? autos.output.size() : end + 1;
    rapidjson::Document row;
    row.Parse(line.c_str());
    if (row.HasParseError() || !row.IsObject() || !row.HasMember("source")) continue;
    source_of[row["key"].GetString()] = row["source"].GetString();
  }
  EXPECT_EQ(source_of,
            (std::map<std::string, std::string>{
                {"WRKA-1", "cache"}, {"WRKA-2", "cache"}, {"WRKA-3", "jira"}, {"WRKA-4", "jira"}}))
      << autos.output;
  EXPECT_EQ(h.sim().requests(kBulkfetch, "total"), 1);

  // Jira down: the cache is served, marked stale, with the reason.
  h.sim().configure(R"({"faults":{"errorRate":1,"errorStatuses":[503]}})");
  auto down = shown(h, {"WRKA-6", "--max-age", "1s"});
  EXPECT_STREQ(down["freshness"]["source"].GetString(), "cache");
  EXPECT_TRUE(down["freshness"]["stale"].GetBool());
  EXPECT_NE(std::string(down["freshness"]["note"].GetString()).find("unreachable"),
            std::string::npos)
      << down["freshness"]["note"].GetString();
  EXPECT_EQ(h.sim().requests(kBulkfetch, "total"), 1) << "no refresh run against a down Jira";
  const auto offline = h.cli({"search", "key = WRKA-7", "--source", "auto", "--format", "json"});
  EXPECT_EQ(offline.exit_code, 0) << offline.output;
  EXPECT_NE(offline.output.find(R"("source":"cache")"), std::string::npos) << offline.output;
  EXPECT_NE(offline.output.find(R"("stale":true)"), std::string::npos) << offline.output;
  EXPECT_NE(offline.output.find("unreachable"), std::string::npos) << offline.output;
  const auto failed = h.cli({"refresh", "WRKA-6"});
  EXPECT_EQ(failed.exit_code, 1) << failed.output;
  EXPECT_NE(failed.output.find("stale"), std::string::npos) << failed.output;
}

}  // namespace
}  // namespace jirasync::e2e
