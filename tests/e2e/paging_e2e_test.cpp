// Jira changing between the pages of a run: edits (the issue jumps to the end
// of an `updated` order), creations and deletions after every page served, with
// page tokens that resume after the last issue (keyset) or at an offset into
// the changed result set (JRASERVER-69860). No issue is lost, no run stalls.
#include <gtest/gtest.h>

#include "tests/e2e/cache_comparison.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

constexpr int64_t kLeaseMs = 45000;

const char* kMutateBetweenPages =
    R"({"pageMutations":{"project":"WRKA","edits":3,"creates":1,"deletes":1}})";
const char* kCalm = R"({"pageMutations":null})";

class PipelinePaging : public ::testing::TestWithParam<std::string> {
 protected:
  // One sync while Jira changes after every page; the run succeeds on its
  // first attempt, counts everything it emitted, and never waits on a lease.
  void sync_while_jira_changes(PipelineHarness& h, const std::string& kind) {
    h.sim().configure(kMutateBetweenPages);
    const auto ids = h.sync({kind});
    h.sim().configure(kCalm);
    ASSERT_EQ(ids.size(), 1u) << kind;
    const auto run = h.run(ids[0]);
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, RunStatus::kSuccess) << kind << ": " << run->error << "\n" << h.logs();
    EXPECT_EQ(run->attempt, 1) << kind << " needed another attempt";
    EXPECT_EQ(run->applied, run->emitted) << kind;
    ASSERT_TRUE(run->started_ms && run->finished_ms);
    EXPECT_LT(*run->finished_ms - *run->started_ms, kLeaseMs / 2)
        << kind << " took long enough to have waited on the lease";
  }

  // After a calm incremental (it brings what changed after the run's last
  // page), every issue Jira has is in the cache as Jira has it. The cache may
  // still hold issues deleted after the sweep listed them: only a full finds
  // those, and the end of the test runs one.
  void expect_nothing_lost(PipelineHarness& h, const std::string& after) {
    ASSERT_EQ(h.sync({"--incremental"}).size(), 1u);
    const auto jira = jira_truth(h.sim().base_url(), "WRKA");
    auto cache = cached_issues(h.tickets(), "WRKA");
    std::erase_if(cache, [&](const auto& entry) { return !jira.count(entry.first); });
    const auto diff = differences(jira, cache);
    std::string report;
    for (const auto& line : diff) report += "  " + line + "\n";
    EXPECT_TRUE(diff.empty()) << "after " << after << " (" << GetParam()
                              << " page tokens) Jira issues are missing or stale:\n"
                              << report;
  }
};

TEST_P(PipelinePaging, EditsCreatesAndDeletesBetweenPagesLoseNothing) {
  PipelineHarness h;
  h.start_simulator("WRKA:600", {"--page-token-mode", GetParam()});
  h.configure({.projects = {{"WRKA"}}, .sweep_page_size = 100, .lease_ms = kLeaseMs});
  h.start_all_services();

  sync_while_jira_changes(h, "--full");  // cold
  expect_nothing_lost(h, "a cold full");
  sync_while_jira_changes(h, "--full");  // warm
  expect_nothing_lost(h, "a warm full");
  sync_while_jira_changes(h, "--incremental");
  expect_nothing_lost(h, "an incremental");

  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  h.expect_cache_equals_jira("WRKA");
}

// Issue 8, item 2: an issue edited after a busy refetch read it comes again
// in the same run. The newer snapshot is applied and counted, so the run ends
// at once instead of waiting for its lease, with the edit in the cache.
TEST(PipelinePagingRepro, AnIssueEditedDuringABusyRefetchIsAppliedAndTheRunEnds) {
  using namespace std::chrono_literals;
  PipelineHarness h;
  h.start_simulator("WRKA:1000");
  // The fetcher's shared rate limit at 5 requests a second keeps the run busy.
  h.configure({.projects = {{"WRKA"}}, .rate_per_s = 5, .rate_burst = 1, .lease_ms = kLeaseMs});
  h.start_all_services();
  const std::string run_id = h.start_run({"--project", "WRKA", "--refetch"});
  ASSERT_FALSE(run_id.empty());

  // Edit an issue the run has already read (it is in the cache): it moves
  // behind everything and is served a second time.
  std::string edited;
  ASSERT_TRUE(testing::wait_until(
      [&] {
        const auto cached = cached_issues(h.tickets(), "WRKA");
        if (!cached.empty()) edited = cached.begin()->second.key;
        return !edited.empty();
      },
      60s))
      << h.logs();
  ASSERT_FALSE(h.run(run_id)->fetch_complete) << "the run read everything before the edit";
  h.sim().update_issue(edited, R"({"summary":"edited during a busy run"})");

  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto run = h.run(run_id);
        return run && (run->status == RunStatus::kSuccess || run->status == RunStatus::kFailed ||
                       run->attempt > 1);
      },
      std::chrono::milliseconds(kLeaseMs * 3)));
  const auto run = h.run(run_id);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_EQ(run->attempt, 1);
  EXPECT_EQ(run->emitted, 1001) << "the edited issue twice";
  EXPECT_EQ(run->applied, run->emitted);
  EXPECT_LT(*run->finished_ms - *run->started_ms, kLeaseMs / 2);
  const auto ticket = h.tickets().find_by_key(edited);
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->issue.summary, "edited during a busy run");
}

INSTANTIATE_TEST_SUITE_P(PageTokens, PipelinePaging, ::testing::Values("keyset", "offset"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace jirasync::e2e
