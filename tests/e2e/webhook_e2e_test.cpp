// Jira's webhooks while a project is busy: every delivery is queued durably
// and coalesced into refresh runs after the active run; a deletion is applied
// without waiting for a full sweep; a replayed delivery starts nothing.
#include <gtest/gtest.h>

#include "common/store/sql_query.hpp"
#include "tests/e2e/pipeline_harness.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "e2e-webhook-secret-0042";

struct WebhookCounts {
  int64_t delivered = 0;
  int64_t failed = 0;
};

WebhookCounts webhook_counts(SimulatorProcess& sim) {
  auto doc = sim.control("GET", "/__sim/counters");
  return {doc["webhooks"]["delivered"].GetInt64(), doc["webhooks"]["failed"].GetInt64()};
}

std::vector<SyncRun> webhook_runs(PipelineHarness& h) {
  std::vector<SyncRun> out;
  for (auto& run : h.runs().list_runs("WRKA", 1000)) {
    if (run.trigger == "webhook") out.push_back(std::move(run));
  }
  return out;
}

int64_t queued_keys(PipelineHarness& h) {
  auto lock = h.database().lock();
  const auto row =
      SqlQuery("SELECT COUNT(*) FROM webhook_refreshes").fetch_one(h.database().session(), "i");
  return row ? row->i64(0) : 0;
}

bool all_finished(PipelineHarness& h) {
  for (const auto& run : h.runs().list_runs("WRKA", 1000)) {
    if (run.status != RunStatus::kSuccess && run.status != RunStatus::kFailed) return false;
  }
  return true;
}

TEST(PipelineWebhooks, ABurstDuringAFullSyncIsQueuedCoalescedAndAppliedAndReplaysStartNothing) {
  PipelineHarness h;
  h.start_simulator("WRKA:2000");
  h.configure({.projects = {{"WRKA"}}});
  const int port = testing::free_port();
  h.start_service("scheduler", "",
                  {{"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(port)},
                   {"JIRASYNC_WEBHOOK_SECRET", kSecret}});
  for (const char* role : {"writer", "reconciler", "fetcher"}) h.start_service(role);
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);
  h.sim().configure(R"({"webhook":{"url":"http://127.0.0.1:)" + std::to_string(port) +
                    R"(/api/webhook","secret":")" + kSecret + R"("}})");

  // A slow Jira keeps the next full sync busy while the burst arrives.
  h.sim().configure(R"({"faults":{"latencyMs":500}})");
  const std::string busy_run = h.start_run({"--project", "WRKA", "--refetch"});
  ASSERT_FALSE(busy_run.empty());

  // 297 edits and 3 deletions: 300 signed deliveries in a burst.
  for (int i = 0; i < 297; ++i) {
    h.sim().update_issue("WRKA-" + std::to_string(100 + i),
                         R"({"summary":"Edited in the burst )" + std::to_string(i) + R"("})");
  }
  for (const char* key : {"WRKA-11", "WRKA-12", "WRKA-13"})
    h.sim().control("DELETE", std::string("/__sim/issues/") + key);
  const int64_t burst = 300;
  ASSERT_TRUE(testing::wait_until(
      [&] {
        const auto c = webhook_counts(h.sim());
        return c.delivered + c.failed >= burst;
      },
      60s))
      << "the simulator did not deliver its " << burst << " webhooks\n"
      << h.logs();
  EXPECT_EQ(webhook_counts(h.sim()).failed, 0) << "a delivery was refused\n" << h.logs();
  const auto during = h.run(busy_run);
  ASSERT_TRUE(during);
  EXPECT_NE(during->status, RunStatus::kSuccess)
      << "the refetch ended before the burst: the test proves nothing";

  h.sim().configure(R"({"faults":{}})");
  ASSERT_TRUE(
      testing::wait_until([&] { return all_finished(h) && queued_keys(h) == 0; }, 180s, 200ms))
      << queued_keys(h) << " keys still queued\n"
      << h.logs();
  const auto refreshes = webhook_runs(h);
  ASSERT_FALSE(refreshes.empty()) << "no refresh run came of 300 deliveries";
  EXPECT_LE(refreshes.size(), 5u) << "the deliveries were not coalesced";
  for (const auto& run : refreshes) {
    EXPECT_EQ(run.status, RunStatus::kSuccess) << run.id << ": " << run.error;
  }
  // Every edit is in the cache, and so is every deletion, with no full sweep
  // since: the refreshes asked Jira for the deleted ids and got nothing.
  h.expect_cache_equals_jira("WRKA");
  for (const char* key : {"WRKA-11", "WRKA-12", "WRKA-13"}) {
    const auto gone = h.tickets().find_by_key(key);
    ASSERT_TRUE(gone) << key;
    EXPECT_TRUE(gone->deleted) << key << " was deleted in Jira but not in the cache";
  }

  // Jira sends a delivery again (same identifier): nothing starts.
  const size_t runs_before = h.runs().list_runs("WRKA", 1000).size();
  h.sim().control("POST", "/__sim/webhooks/replay?count=" + std::to_string(burst));
  ASSERT_TRUE(testing::wait_until(
      [&] {
        const auto c = webhook_counts(h.sim());
        return c.delivered + c.failed >= 2 * burst;
      },
      60s))
      << h.logs();
  EXPECT_EQ(webhook_counts(h.sim()).failed, 0);
  EXPECT_EQ(queued_keys(h), 0);
  EXPECT_EQ(h.runs().list_runs("WRKA", 1000).size(), runs_before)
      << "a replayed delivery started a run";
}

}  // namespace
}  // namespace jirasync::e2e
