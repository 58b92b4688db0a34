#include "services/scheduler/webhook_refreshes.hpp"

#include <gtest/gtest.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/fakes/fake_webhook_inbox.hpp"

namespace jirasync {
namespace {

constexpr int64_t kStart = 1'735'812'420'000;

class WebhookRefreshesTest : public ::testing::Test {
 protected:
  std::vector<SyncJob> jobs() {
    std::vector<SyncJob> out;
    for (const auto& m : bus.records(topic)) out.push_back(decode_sync_job(m.value));
    return out;
  }
  void finish_all() {
    for (const auto& j : jobs()) {
      if (auto run = runs.get_run(j.run_id); run && run->status != RunStatus::kSuccess) {
        runs.mark_running(j.run_id, clock.now_ms(), 0);
        runs.mark_fetch_complete(j.run_id, 0, 0, {}, clock.now_ms());
      }
    }
  }

  std::string topic = topic_name("jirasync.", Topic::kJobs);
  FakeClock clock{kStart};
  fakes::FakeBus bus;
  fakes::FakeRunStore runs;
  fakes::FakeWebhookInbox inbox;
  std::unique_ptr<BusProducer> producer = bus.producer();
  SyncTrigger trigger{runs, *producer, topic, clock};
  WebhookRefreshes refreshes{inbox, runs, trigger, clock};
};

TEST_F(WebhookRefreshesTest, ABurstDuringARunBecomesOneRefreshAfterIt) {
  trigger.trigger("WRKA", JobKind::kFull, {}, "cron");
  for (int i = 1; i <= 300; ++i) {
    inbox.accept("d" + std::to_string(i), "WRKA", "WRKA-" + std::to_string(i % 150 + 1),
                 clock.now_ms());
    EXPECT_EQ(refreshes.drain(), 0) << "a refresh must wait for the active run";
  }
  finish_all();
  EXPECT_EQ(refreshes.drain(), 1);
  const auto j = jobs();
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1].kind, JobKind::kRefresh);
  EXPECT_EQ(j[1].keys.size(), 150u);
  EXPECT_TRUE(inbox.waiting_projects().empty());
  EXPECT_EQ(refreshes.drain(), 0);
}

TEST_F(WebhookRefreshesTest, ProjectsAreRefreshedIndependently) {
  trigger.trigger("WRKA", JobKind::kFull, {}, "cron");
  inbox.accept("a", "WRKA", "WRKA-1", clock.now_ms());
  inbox.accept("b", "WMB", "WMB-1", clock.now_ms());
  EXPECT_EQ(refreshes.drain(), 1);  // WMB only
  ASSERT_EQ(jobs().back().project, "WMB");
  EXPECT_EQ(inbox.waiting_projects(), std::vector<std::string>{"WRKA"});
}

TEST_F(WebhookRefreshesTest, AtMostABoundedNumberOfKeysPerRun) {
  for (int i = 0; i < WebhookRefreshes::kMaxKeysPerRun + 5; ++i)
    inbox.accept("", "WRKA", "WRKA-" + std::to_string(i + 1), clock.now_ms());
  EXPECT_EQ(refreshes.drain(), 1);
  EXPECT_EQ(jobs().back().keys.size(), static_cast<size_t>(WebhookRefreshes::kMaxKeysPerRun));
  finish_all();
  EXPECT_EQ(refreshes.drain(), 1);
  EXPECT_EQ(jobs().back().keys.size(), 5u);
}

TEST_F(WebhookRefreshesTest, DeliveryIdsAreForgottenAfterTheReplayWindow) {
  inbox.accept("d1", "WRKA", "WRKA-1", clock.now_ms());
  clock.advance_ms(WebhookRefreshes::kReplayWindowMs - 1);
  refreshes.forget_old_deliveries();
  EXPECT_FALSE(inbox.accept("d1", "WRKA", "WRKA-1", clock.now_ms()));
  clock.advance_ms(2);
  refreshes.forget_old_deliveries();
  EXPECT_TRUE(inbox.accept("d1", "WRKA", "WRKA-1", clock.now_ms()));
}

}  // namespace
}  // namespace jirasync
