// Every comment of an issue reaches the cache, also those a search leaves out
// of fields.comment, and each extra request is counted on the run.
#include <gtest/gtest.h>

#include "tests/e2e/cache_comparison.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

constexpr const char* kCommentEndpoint = "GET /rest/api/3/issue/{issueIdOrKey}/comment";

TEST(PipelineComments, AnIssueWith120CommentsHasAll120InTheCache) {
  PipelineHarness h;
  h.start_simulator("WRKA:300");
  h.configure({.projects = {{"WRKA"}}});
  h.start_all_services();
  h.sim().update_issue("WRKA-5", R"({"commentCount":120})");
  h.sim().reset_counters();

  const auto ids = h.sync({"--full"});
  ASSERT_EQ(ids.size(), 1u);
  // Jira's field list is the fetcher's, not the run's: read once by the first full sync.
  const int64_t requests = h.sim().total_requests() - h.sim().field_list_reads();
  const int64_t comment_requests = h.sim().requests(kCommentEndpoint, "200");
  const auto run = h.run(ids[0]);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;

  const auto cached = h.tickets().find_by_key("WRKA-5");
  ASSERT_TRUE(cached);
  ASSERT_EQ(cached->issue.comments.size(), 120u);
  for (size_t i = 1; i < cached->issue.comments.size(); ++i) {
    EXPECT_LT(cached->issue.comments[i - 1].created_ms, cached->issue.comments[i].created_ms);
  }
  // Counted by the fetcher (every request the simulator saw is one of the
  // run's), and bounded: one per page of the issues whose list was cut short,
  // WRKA-5's two (100 + 20) among them.
  EXPECT_EQ(run->stats.api_calls, requests);
  const int64_t needed = comment_pages_needed(h.sim().base_url(), "WRKA");
  EXPECT_GE(needed, 2);
  EXPECT_EQ(comment_requests, needed);
  h.expect_cache_equals_jira("WRKA");

  // A warm sync asks again only for the issues its overlap window re-reads:
  // WRKA-5, the one changed last.
  h.sim().reset_counters();
  ASSERT_EQ(h.sync({"--incremental"}).size(), 1u);
  EXPECT_LE(h.sim().requests(kCommentEndpoint, "200"), 2);

  // A comment added in Jira arrives with the next incremental sync.
  h.sim().update_issue("WRKA-5", R"({"commentCount":121})");
  const auto inc = h.sync({"--incremental"});
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_EQ(h.tickets().find_by_key("WRKA-5")->issue.comments.size(), 121u);
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
