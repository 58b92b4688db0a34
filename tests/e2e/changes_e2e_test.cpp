// Creates, updates, moves and deletes made in Jira reach the cache; an
// interrupted deletion sweep deletes nothing.
#include <gtest/gtest.h>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

TEST(PipelineChanges, CreatesUpdatesMovesAndDeletesReachTheCache) {
  PipelineHarness h;
  h.start_simulator("WRKA:300,WMB:200");
  h.configure({.projects = {{"WRKA"}, {"WMB"}}});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 2u);
  const auto deleted_before = h.tickets().find_by_key("WRKA-9");
  ASSERT_TRUE(deleted_before) << "WRKA-9 was not synced by the first full run";

  auto created = h.sim().control("POST", "/__sim/issues",
                                 R"({"project":"WRKA","summary":"Created by the e2e test"})");
  const std::string created_key = created["key"].GetString();
  h.sim().update_issue("WRKA-5", R"({"summary":"Updated by the e2e test","labels":["e2e"]})");
  auto moved = h.sim().control("POST", "/__sim/issues/WRKA-7/move", R"({"project":"WMB"})");
  const std::string moved_key = moved["key"].GetString();
  ASSERT_NE(moved_key, "WRKA-7");
  h.sim().control("DELETE", "/__sim/issues/WRKA-9");

  // Incremental: create, update and move arrive; a delete needs the sweep.
  const auto inc = h.sync({"--incremental"});
  ASSERT_EQ(inc.size(), 2u);
  auto c = h.tickets().find_by_key(created_key);
  ASSERT_TRUE(c) << created_key << " is not in the cache";
  EXPECT_EQ(c->issue.summary, "Created by the e2e test");
  auto u = h.tickets().find_by_key("WRKA-5");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->issue.summary, "Updated by the e2e test");
  EXPECT_EQ(u->issue.labels, std::vector<std::string>{"e2e"});
  auto m = h.tickets().find_by_key(moved_key);
  ASSERT_TRUE(m) << moved_key << " (moved from WRKA-7) is not in the cache";
  EXPECT_EQ(m->issue.project_key, "WMB");
  auto by_old_key = h.tickets().find_by_key("WRKA-7");
  ASSERT_TRUE(by_old_key) << "the moved issue is not found by its old key";
  EXPECT_EQ(by_old_key->id, m->id);
  auto still = h.tickets().find_by_key("WRKA-9");
  ASSERT_TRUE(still);
  EXPECT_FALSE(still->deleted) << "an incremental run has no sweep, so it deletes nothing";

  const auto shown = h.cli({"show", "WRKA-7"});
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find(moved_key), std::string::npos)
      << "`jirasync show WRKA-7` does not show the new key " << moved_key << ":\n"
      << shown.output;

  // Full: the sweep finds the deletion.
  const auto full = h.sync({"--full"});
  ASSERT_EQ(full.size(), 2u);
  auto gone = h.tickets().find_by_key("WRKA-9");
  EXPECT_TRUE(!gone || gone->deleted) << "WRKA-9 was deleted in Jira but not in the cache";
  int64_t deleted = 0;
  for (const auto& id : full) deleted += h.run(id)->stats.deleted;
  EXPECT_EQ(deleted, 1);
  h.expect_cache_equals_jira("WRKA");
  h.expect_cache_equals_jira("WMB");
}

TEST(PipelineChanges, InterruptedSweepDeletesNothing) {
  PipelineHarness h;
  h.start_simulator("WRKA:300");
  // Small sweep pages so the sweep is many requests long; no retries of
  // requests or runs, so a failed page fails the run for good.
  h.configure({.projects = {{"WRKA"}},
               .jira_max_attempts = 1,
               .sweep_page_size = 10,
               .max_run_attempts = 1});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  h.sim().control("DELETE", "/__sim/issues/WRKA-9");

  // Slow responses, then break every request once the sweep has begun:
  // one incremental page, then sweep pages of 10 ids.
  h.sim().configure(R"({"faults":{"latencyMs":100}})");
  h.sim().reset_counters();
  const std::string run_id = h.start_run({"--full"});
  ASSERT_FALSE(run_id.empty());
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return h.sim().requests("GET /rest/api/3/search/jql", "200") +
                   h.sim().requests("POST /rest/api/3/search/jql", "200") >=
               4;
      },
      60s))
      << "the sweep did not start\n"
      << h.logs();
  h.sim().configure(R"({"faults":{"errorRate":1,"errorStatuses":[500]}})");

  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto run = h.run(run_id);
        return run && (run->status == RunStatus::kFailed || run->status == RunStatus::kSuccess);
      },
      120s))
      << h.logs();
  const auto run = h.run(run_id);
  EXPECT_EQ(run->status, RunStatus::kFailed);
  EXPECT_GE(run->stats.pages, 2) << "the run failed before its sweep began";
  EXPECT_FALSE(run->error.empty());
  auto kept = h.tickets().find_by_key("WRKA-9");
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->deleted) << "an unfinished sweep deleted WRKA-9";
  EXPECT_EQ(run->stats.deleted, 0);
}

// Jira's `updated` moves alone when someone comments or watches: the cache
// follows it (a touch) without a history row.
TEST(PipelineChanges, UpdatedAloneMovesTheCachedUpdatedWithoutHistory) {
  PipelineHarness h;
  h.start_simulator("WRKA:40");
  h.configure({.projects = {{"WRKA"}}});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  const auto before = h.tickets().find_by_key("WRKA-5");
  ASSERT_TRUE(before);
  const size_t history_before = h.tickets().changes(before->id).size();
  const int64_t later = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  ASSERT_GT(later, before->updated_ms);
  h.sim().update_issue("WRKA-5", R"({"updated":)" + std::to_string(later) + "}");

  const auto inc = h.sync({"--incremental"});
  ASSERT_EQ(inc.size(), 1u);
  const auto after = h.tickets().find_by_key("WRKA-5");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->updated_ms, later);
  EXPECT_EQ(after->issue.updated_ms, later);
  EXPECT_EQ(after->content_hash, before->content_hash);
  EXPECT_EQ(h.tickets().changes(before->id).size(), history_before);
  EXPECT_EQ(h.run(inc[0])->stats.updated, 0);
  h.expect_cache_equals_jira("WRKA");
}

}  // namespace
}  // namespace jirasync::e2e
