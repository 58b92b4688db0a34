#include "common/store/sql_webhook_inbox.hpp"

#include <gtest/gtest.h>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

constexpr int64_t kNow = 1'700'000'000'000;

class SqlWebhookInboxTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    inbox = std::make_unique<SqlWebhookInbox>(db());
  }
  std::vector<std::string> keys(const std::string& project) {
    std::vector<std::string> out;
    for (const auto& q : inbox->queued(project, 1000)) out.push_back(q.key);
    return out;
  }
  std::unique_ptr<SqlWebhookInbox> inbox;
};

TEST_P(SqlWebhookInboxTest, KeysAreCoalescedPerProjectOldestFirst) {
  EXPECT_TRUE(inbox->accept("d1", "WRKA", "WRKA-2", kNow));
  EXPECT_TRUE(inbox->accept("d2", "WMB", "WMB-1", kNow + 1));
  EXPECT_TRUE(inbox->accept("d3", "WRKA", "WRKA-1", kNow + 2));
  // The same key again: still one entry, still as old as its first delivery.
  EXPECT_TRUE(inbox->accept("d4", "WRKA", "WRKA-2", kNow + 3));
  EXPECT_EQ(inbox->waiting_projects(), (std::vector<std::string>{"WRKA", "WMB"}));
  EXPECT_EQ(keys("WRKA"), (std::vector<std::string>{"WRKA-2", "WRKA-1"}));
  EXPECT_EQ(inbox->queued("WRKA", 1).size(), 1u);
}

TEST_P(SqlWebhookInboxTest, AReplayedDeliveryQueuesNothing) {
  EXPECT_TRUE(inbox->accept("d1", "WRKA", "WRKA-1", kNow));
  const auto taken = inbox->queued("WRKA", 10);
  inbox->remove("WRKA", taken);
  EXPECT_FALSE(inbox->accept("d1", "WRKA", "WRKA-1", kNow + 5));
  EXPECT_TRUE(keys("WRKA").empty());
  EXPECT_TRUE(inbox->waiting_projects().empty());
}

TEST_P(SqlWebhookInboxTest, DeliveriesWithoutAnIdAreNeverDeduplicated) {
  EXPECT_TRUE(inbox->accept("", "WRKA", "WRKA-1", kNow));
  inbox->remove("WRKA", inbox->queued("WRKA", 10));
  EXPECT_TRUE(inbox->accept("", "WRKA", "WRKA-1", kNow + 1));
  EXPECT_EQ(keys("WRKA"), (std::vector<std::string>{"WRKA-1"}));
}

TEST_P(SqlWebhookInboxTest, ADeliveryAfterTheRunTookTheKeyIsKept) {
  inbox->accept("d1", "WRKA", "WRKA-1", kNow);
  inbox->accept("d2", "WRKA", "WRKA-2", kNow);
  const auto taken = inbox->queued("WRKA", 10);
  inbox->accept("d3", "WRKA", "WRKA-1", kNow + 10);  // arrives while the run starts
  inbox->remove("WRKA", taken);
  EXPECT_EQ(keys("WRKA"), (std::vector<std::string>{"WRKA-1"}));
}

TEST_P(SqlWebhookInboxTest, OldDeliveryIdsAreForgotten) {
  inbox->accept("old", "WRKA", "WRKA-1", kNow);
  inbox->accept("new", "WRKA", "WRKA-2", kNow + 100);
  inbox->forget_deliveries(kNow + 50);
  EXPECT_TRUE(inbox->accept("old", "WRKA", "WRKA-1", kNow + 200));
  EXPECT_FALSE(inbox->accept("new", "WRKA", "WRKA-2", kNow + 200));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlWebhookInboxTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
