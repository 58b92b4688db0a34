// Account time zones and search lag: an incremental run made right after
// changes loses none of them.
#include <gtest/gtest.h>

#include "common/jira/http_jira_client.hpp"
#include "common/model/issue_parser.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

// Whether search/jql already shows `key` with `summary` (search lags behind writes).
bool search_shows(const std::string& base_url, const std::string& key, const std::string& summary) {
  JiraSettings s;
  s.base_url = base_url;
  s.email = "demo@jirasim.test";
  s.api_token = "jirasim-demo-token";
  HttpJiraClient client(s);
  SearchRequest r;
  r.jql = "key = " + key;
  r.fields = {"summary"};
  const auto page = client.search(r);
  return page.issues.size() == 1 && parse_issue(page.issues[0].json).summary == summary;
}

TEST(PipelineTime, AccountTimeZonesAndSearchLagLoseNoIssue) {
  PipelineHarness h;
  h.start_simulator("WRKA:300", {"--search-lag-ms", "3000"});
  // An overlap shorter than the lag: only a cursor taken from what was
  // fetched (not from the clock) keeps the lagging issues in the next window.
  h.configure({.projects = {{"WRKA"}}, .overlap_ms = 1000});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);

  int n = 0;
  for (const std::string& zone : std::vector<std::string>{"America/Los_Angeles", "Asia/Tokyo"}) {
    h.sim().configure(R"({"timeZone":")" + zone + R"("})");
    // Batch A is visible to search before the run; batch B is changed right before it.
    std::string last_a, last_b, summary_a, summary_b;
    for (int i = 0; i < 5; ++i, ++n) {
      last_a = "WRKA-" + std::to_string(10 + n);
      summary_a = zone + " visible " + std::to_string(n);
      h.sim().update_issue(last_a, R"({"summary":")" + summary_a + R"("})");
    }
    ASSERT_TRUE(testing::wait_until(
        [&] { return search_shows(h.sim().base_url(), last_a, summary_a); }, 30s, 200ms));
    for (int i = 0; i < 5; ++i, ++n) {
      last_b = "WRKA-" + std::to_string(10 + n);
      summary_b = zone + " lagging " + std::to_string(n);
      h.sim().update_issue(last_b, R"({"summary":")" + summary_b + R"("})");
    }
    ASSERT_EQ(h.sync({"--incremental"}).size(), 1u);
    ASSERT_TRUE(testing::wait_until(
        [&] { return search_shows(h.sim().base_url(), last_b, summary_b); }, 30s, 200ms));
    ASSERT_EQ(h.sync({"--incremental"}).size(), 1u);
    h.expect_cache_equals_jira("WRKA");
    auto b = h.tickets().find_by_key(last_b);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->issue.summary, summary_b) << "in zone " << zone;
  }
}

}  // namespace
}  // namespace jirasync::e2e
