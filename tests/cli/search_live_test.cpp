// `jirasync search --source live` in the single-process mode against jirasim:
// Jira validates the JQL (/rest/api/3/jql/parse), the search pages
// /search/jql under the shared rate limit, and what it found is written to
// the cache as a refresh; the answer says it came from Jira. With Jira down,
// a clear error and exit 1.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "common/store/database.hpp"
#include "common/store/sql_query.hpp"
#include "tests/e2e/simulator_process.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::CommandResult;
using jirasync::testing::run_to_exit;

std::string json_text(const rapidjson::Document& d) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  d.Accept(writer);
  return buffer.GetString();
}

const std::map<std::string, std::string> kEnv{{"JIRA_API_TOKEN", "jirasim-demo-token"}};

class SearchLive : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("jirasync-live-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    // 150 issues: a live search of the project takes two pages of 100.
    sim = std::make_unique<e2e::SimulatorProcess>(dir.string(), "LIVE:150,OTHER:5");
    config = (dir / "jirasync.yaml").string();
    std::ofstream(config) << "jira:\n  base_url: " << sim->base_url()
                          << "\n  email: demo@jirasim.test\n  max_attempts: 1\n"
                          << "projects:\n  - key: LIVE\n"
                          << "database_url: sqlite:" << (dir / "cache.db").string()
                          << "\nbus: inprocess\n";
  }
  void TearDown() override {
    sim.reset();
    fs::remove_all(dir);
  }
  CommandResult jirasync(std::vector<std::string> args) {
    args.insert(args.begin(), {binary_path("jirasync"), "-c", config});
    return run_to_exit(args, kEnv, (dir / ("cli-" + std::to_string(++calls) + ".log")).string(),
                       std::chrono::seconds(120));
  }
  // The same, with only stdout (stderr interleaves its count line otherwise).
  CommandResult jirasync_stdout(const std::vector<std::string>& args) {
    std::string line = "exec '" + binary_path("jirasync") + "' -c '" + config + "'";
    for (const std::string& a : args) line += " '" + a + "'";
    line += " 2>>'" + (dir / "stderr.log").string() + "'";
    return run_to_exit({"/bin/sh", "-c", line}, kEnv,
                       (dir / ("cli-" + std::to_string(++calls) + ".log")).string(),
                       std::chrono::seconds(120));
  }
  // Keys of a `search --format json` answer, with each row's source.
  static std::map<std::string, std::string> sources(const std::string& output,
                                                    std::string* overall = nullptr) {
    // The answer is the one line of stdout that is a JSON object; the count
    // and any log line go to stderr.
    std::map<std::string, std::string> out;
    const size_t at = output.find("{\"source\"");
    if (at == std::string::npos) return out;
    const size_t end = output.find('\n', at);
    rapidjson::Document d;
    d.Parse(output.c_str() + at, (end == std::string::npos ? output.size() : end) - at);
    if (d.HasParseError() || !d.IsObject()) return out;
    if (overall) *overall = d["source"].GetString();
    for (const auto& row : d["issues"].GetArray())
      out[row["key"].GetString()] = row.HasMember("source") ? row["source"].GetString() : "";
    return out;
  }
  // Live tickets in the cache (0 when no command created it yet).
  int64_t cached_tickets(const std::string& where = "1=1") {
    if (!fs::exists(dir / "cache.db")) return 0;
    return count("SELECT COUNT(*) FROM tickets WHERE deleted = 0 AND " + where);
  }
  int64_t count(const std::string& sql) {
    auto db = Database::open("sqlite:" + (dir / "cache.db").string());
    return SqlQuery(sql).fetch_one(db->session(), "i")->i64(0);
  }

  fs::path dir;
  std::string config;
  int calls = 0;
  std::unique_ptr<e2e::SimulatorProcess> sim;
};

TEST_F(SearchLive, ValidatesPagesAndWritesWhatItFoundToTheCache) {
  sim->reset_counters();
  const auto live = jirasync_stdout(
      {"search", "project = LIVE", "--source", "live", "--limit", "1000", "--format", "json"});
  ASSERT_EQ(live.exit_code, 0) << live.output.substr(0, 2000);
  std::string overall;
  const auto found = sources(live.output, &overall);
  EXPECT_EQ(overall, "live") << live.output.substr(0, 2000);
  ASSERT_EQ(found.size(), 150u) << live.output.substr(0, 2000);
  for (const auto& [key, source] : found) EXPECT_EQ(source, "jira") << key;

  // One validation, two search pages, the refresh's two bulkfetch chunks; no
  // other request (no approximate count, no sweep).
  EXPECT_EQ(sim->requests("POST /rest/api/3/jql/parse", "200"), 1);
  EXPECT_EQ(sim->requests("GET /rest/api/3/search/jql", "200") +
                sim->requests("POST /rest/api/3/search/jql", "200"),
            2);
  EXPECT_EQ(sim->requests("POST /rest/api/3/issue/bulkfetch", "200"), 2);
  // Besides: only the comment pages of issues whose inline list Jira cut
  // short (counted in the same budget) and the pipeline's one look at the
  // account (/myself, for its time zone).
  EXPECT_LE(sim->requests("GET /rest/api/3/myself", "200"), 1);
  EXPECT_EQ(sim->total_requests(),
            5 + sim->requests("GET /rest/api/3/issue/{issueIdOrKey}/comment", "200") +
                sim->requests("GET /rest/api/3/myself", "200"))
      << json_text(sim->control("GET", "/__sim/counters"));

  // The cache holds what Jira returned, and answers offline afterwards.
  EXPECT_EQ(cached_tickets(), 150);
  // The search took its tokens from the fetchers' shared bucket.
  EXPECT_EQ(count("SELECT COUNT(*) FROM rate_buckets WHERE name = 'jira'"), 1);
  sim->reset_counters();
  const auto cached =
      jirasync_stdout({"search", "project = LIVE", "--limit", "1000", "--format", "json"});
  ASSERT_EQ(cached.exit_code, 0) << cached.output.substr(0, 2000);
  EXPECT_EQ(sources(cached.output, &overall).size(), 150u);
  EXPECT_EQ(overall, "cache");
  EXPECT_EQ(sim->total_requests(), 0) << "--source cache never calls Jira";
}

TEST_F(SearchLive, ASmallerLimitStopsPagingAndLeavesOutUnconfiguredProjects) {
  sim->reset_counters();
  const auto live = jirasync({"search", "project IN (LIVE, OTHER) ORDER BY key ASC", "--source",
                              "live", "--limit", "20", "--format", "json"});
  ASSERT_EQ(live.exit_code, 0) << live.output.substr(0, 2000);
  EXPECT_EQ(sim->requests("POST /rest/api/3/jql/parse", "200"), 1);
  EXPECT_EQ(sim->requests("GET /rest/api/3/search/jql", "200") +
                sim->requests("POST /rest/api/3/search/jql", "200"),
            1);
  // Only LIVE is kept by this cache: OTHER's issues are not written.
  EXPECT_EQ(cached_tickets("project = 'OTHER'"), 0);
  EXPECT_EQ(cached_tickets("project = 'LIVE'"), 20);
}

TEST_F(SearchLive, RefusedJqlIsAUsageErrorWithJirasWords) {
  sim->reset_counters();
  const auto bad = jirasync({"search", "project = LIVE AND", "--source", "live"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("Jira refuses the JQL"), std::string::npos) << bad.output;
  EXPECT_EQ(sim->requests("GET /rest/api/3/search/jql", "200") +
                sim->requests("POST /rest/api/3/search/jql", "200"),
            0);
  EXPECT_EQ(cached_tickets(), 0);
}

TEST_F(SearchLive, JiraDownIsAClearErrorAndWritesNothing) {
  const std::string base_url = sim->base_url();
  sim.reset();  // jirasim stopped: nothing listens on its port
  const auto down = jirasync({"search", "project = LIVE", "--source", "live"});
  EXPECT_EQ(down.exit_code, 1) << down.output;
  EXPECT_NE(down.output.find("Jira"), std::string::npos) << down.output;
  EXPECT_NE(down.output.find("--source live"), std::string::npos) << down.output;
  EXPECT_EQ(down.output.find("jirasim-demo-token"), std::string::npos) << down.output;
  EXPECT_EQ(cached_tickets(), 0);
}

}  // namespace
}  // namespace jirasync
