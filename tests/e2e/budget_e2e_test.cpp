// API budget and field-for-field equality of cold, warm and incremental syncs.
#include <gtest/gtest.h>

#include "tests/e2e/cache_comparison.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

// Requests a cold full sync of n issues needs: ceil(n/5000) pages of ids (the
// sweep's listing, which also counts the run), then ceil(n/100) bulkfetch
// chunks. No approximate count, no `updated` pages: nothing is cached yet.
// Comment pages of issues with more comments than a page shows come on top
// (comment_pages_needed), counted apart.
int64_t cold_full_budget(int64_t issues) {
  return (issues + 4999) / 5000 + (issues + 99) / 100;
}

constexpr const char* kCommentEndpoint = "GET /rest/api/3/issue/{issueIdOrKey}/comment";

SyncRun run_of(PipelineHarness& h, const std::vector<std::string>& ids,
               const std::string& project) {
  for (const auto& id : ids) {
    auto run = h.run(id);
    if (run && run->project == project) return *run;
  }
  ADD_FAILURE() << "no run of " << project << " among the ids the CLI printed";
  return {};
}

TEST(PipelineBudget, ColdFullSyncOfTwoProjectsEqualsJiraWithinBudget) {
  PipelineHarness h;
  h.start_simulator("WRKA:10000,WMB:300");
  h.configure({.projects = {{"WRKA"}, {"WMB"}}});
  h.start_all_services();
  h.sim().reset_counters();

  const auto ids = h.sync({"--full"});
  ASSERT_EQ(ids.size(), 2u);
  const int64_t comment_requests = h.sim().requests(kCommentEndpoint, "200");
  const int64_t field_requests = h.sim().field_list_reads();
  EXPECT_EQ(field_requests, 1) << "two full syncs starting together read the field list once";
  const int64_t requests = h.sim().total_requests() - comment_requests - field_requests;
  const int64_t wrka_comment_pages = comment_pages_needed(h.sim().base_url(), "WRKA");
  const int64_t comment_pages =
      wrka_comment_pages + comment_pages_needed(h.sim().base_url(), "WMB");

  const SyncRun wrka = run_of(h, ids, "WRKA");
  const SyncRun wmb = run_of(h, ids, "WMB");
  EXPECT_EQ(wrka.status, RunStatus::kSuccess) << wrka.error;
  EXPECT_EQ(wmb.status, RunStatus::kSuccess) << wmb.error;
  EXPECT_EQ(wrka.stats.fetched, 10000);
  EXPECT_EQ(wrka.stats.created, 10000);
  EXPECT_EQ(wmb.stats.created, 300);
  // The cold full of 10,000 issues: 2 pages of ids and 100 bulkfetch chunks,
  // by the fetcher's count and by what the simulator saw for both runs. Each
  // comment page is one of the run's calls too, one per page of an issue whose
  // comments a page cut short, and no more.
  EXPECT_LE(wrka.stats.api_calls, 102 + wrka_comment_pages);
  EXPECT_EQ(cold_full_budget(10000), 102);
  EXPECT_LE(requests, cold_full_budget(10000) + cold_full_budget(300))
      << "requests seen by the simulator";
  EXPECT_GE(requests, 100) << "10,000 issues cannot come in fewer than 100 pages";
  EXPECT_EQ(comment_requests, comment_pages);
  EXPECT_GT(comment_pages, 0) << "the simulator generates issues with many comments";

  h.expect_cache_equals_jira("WRKA");
  h.expect_cache_equals_jira("WMB");
}

TEST(PipelineBudget, WarmFullAndIncrementalStayWithinBudget) {
  PipelineHarness h;
  h.start_simulator("WRKA:10000");
  h.configure({.projects = {{"WRKA"}}});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);

  // Warm full of 10,000 unchanged issues: count, one incremental page, two sweep pages.
  h.sim().reset_counters();
  const auto warm = h.sync({"--full"});
  ASSERT_EQ(warm.size(), 1u);
  // The overlap window may re-read an issue whose comments need a page.
  const int64_t warm_comments = h.sim().requests(kCommentEndpoint, "200");
  EXPECT_LE(h.sim().total_requests() - warm_comments, 4);
  EXPECT_LE(warm_comments, 2);
  auto run = h.run(warm[0]);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_EQ(run->stats.created + run->stats.updated, 0) << "nothing changed in Jira";

  // 100 changed issues: count and at most two pages.
  h.sim().control("POST", "/__sim/bulk-mutate", R"({"count":100,"seed":7})");
  h.sim().reset_counters();
  const auto inc = h.sync({"--incremental"});
  ASSERT_EQ(inc.size(), 1u);
  // Comment pages only for the changed issues with more comments than shown inline.
  const int64_t inc_comments = h.sim().requests(kCommentEndpoint, "200");
  EXPECT_LE(h.sim().total_requests() - inc_comments, 3);
  run = h.run(inc[0]);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_GE(run->stats.updated, 90) << "bulk-mutate changed 100 issues (a few may repeat)";
  EXPECT_LE(inc_comments, 10) << "about 2 in 100 issues have more comments than shown inline";
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
