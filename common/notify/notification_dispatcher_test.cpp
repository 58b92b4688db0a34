// The outbox and its delivery loop on SQLite, time driven by FakeClock: a
// failing sink is retried on the backoff schedule, an event found twice is
// sent once, an entry past its max age is given up.
#include "common/notify/notification_dispatcher.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

// Fails the first `failures` deliveries, then records.
class FlakySink final : public NotificationSink {
 public:
  FlakySink(std::string name, int failures) : name_(std::move(name)), failures_(failures) {}
  const std::string& name() const override { return name_; }
  void deliver(const OutboxEntry& entry) override {
    ++calls;
    if (failures_-- > 0) throw DeliveryError("sink " + name_ + ": the receiver answered HTTP 503");
    delivered.push_back(entry);
  }
  int calls = 0;
  std::vector<OutboxEntry> delivered;

 private:
  std::string name_;
  int failures_;
};

NotificationEvent failed_run(const std::string& run_id) {
  NotificationEvent e;
  e.kind = NotificationKind::kRunFailed;
  e.project = "WRKA";
  e.key = "run_failed:" + run_id;
  e.title = "incremental sync of WRKA failed";
  e.text = "run " + run_id + ": boom";
  return e;
}

class DispatcherTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    outbox = std::make_unique<NotificationOutbox>(db());
  }
  bool enqueue(const std::string& sink, const NotificationEvent& e) {
    auto lock = db()->lock();
    return NotificationOutbox::enqueue(*db(), sink, e, clock.now_ms());
  }
  std::unique_ptr<NotificationDispatcher> dispatcher(int failures, DeliveryPolicy policy = {}) {
    auto s = std::make_unique<FlakySink>("ops", failures);
    sink = s.get();
    std::vector<std::unique_ptr<NotificationSink>> sinks;
    sinks.push_back(std::move(s));
    return std::make_unique<NotificationDispatcher>(*outbox, nullptr, std::move(sinks), policy,
                                                    clock);
  }
  std::string last_error() {
    auto lock = db()->lock();
    return SqlQuery("SELECT last_error FROM notification_outbox")
        .fetch_one(db()->session(), "t")
        ->text(0);
  }
  FakeClock clock;
  std::unique_ptr<NotificationOutbox> outbox;
  FlakySink* sink = nullptr;
};

TEST(DeliveryPolicyTest, DoublesFromTheBaseUpToTheCapAndStopsAtTheMaxAge) {
  DeliveryPolicy p{1000, 8000, 60000};
  EXPECT_EQ(p.next_attempt_ms(1, 0, 0), 1000);
  EXPECT_EQ(p.next_attempt_ms(2, 0, 0), 2000);
  EXPECT_EQ(p.next_attempt_ms(3, 0, 0), 4000);
  EXPECT_EQ(p.next_attempt_ms(4, 0, 0), 8000);
  EXPECT_EQ(p.next_attempt_ms(40, 0, 0), 8000);
  EXPECT_EQ(p.next_attempt_ms(1, 0, 59000), 60000);
  EXPECT_EQ(p.next_attempt_ms(1, 0, 59001), std::nullopt);
}

TEST_P(DispatcherTest, AnEventEnqueuedTwiceIsDeliveredOnce) {
  EXPECT_TRUE(enqueue("ops", failed_run("r1")));
  EXPECT_FALSE(enqueue("ops", failed_run("r1")));
  EXPECT_TRUE(enqueue("chat", failed_run("r1")));  // another sink has its own copy
  auto d = dispatcher(0);
  const auto result = d->tick();
  EXPECT_EQ(result.delivered, 1);
  EXPECT_EQ(result.failed, 1) << "no sink named chat";
  ASSERT_EQ(sink->delivered.size(), 1u);
  EXPECT_EQ(sink->delivered[0].event_kind, "run_failed");
  EXPECT_NE(sink->delivered[0].payload.find("\"title\":\"incremental sync of WRKA failed\""),
            std::string::npos)
      << "payload: " << sink->delivered[0].payload;
  EXPECT_EQ(d->tick().delivered, 0);
}

TEST_P(DispatcherTest, AFailingSinkIsRetriedWithBackoffUntilItTakesIt) {
  enqueue("ops", failed_run("r1"));
  auto d = dispatcher(2, DeliveryPolicy{1000, 60000, 3600000});
  EXPECT_EQ(d->tick().failed, 1);
  EXPECT_EQ(last_error(), "sink ops: the receiver answered HTTP 503");
  clock.advance_ms(999);
  EXPECT_EQ(d->tick().failed, 0) << "not due before 1 s";
  clock.advance_ms(1);
  EXPECT_EQ(d->tick().failed, 1);
  clock.advance_ms(1999);
  EXPECT_EQ(d->tick().delivered, 0) << "the second retry waits 2 s";
  clock.advance_ms(1);
  EXPECT_EQ(d->tick().delivered, 1);
  EXPECT_EQ(sink->calls, 3);
  EXPECT_EQ(last_error(), "");
}

TEST_P(DispatcherTest, AnEntryPastItsMaxAgeIsGivenUp) {
  enqueue("ops", failed_run("r1"));
  auto d = dispatcher(1000, DeliveryPolicy{1000, 1000, 2500});
  for (int i = 0; i < 10; ++i) {
    d->tick();
    clock.advance_ms(1000);
  }
  EXPECT_EQ(sink->calls, 3) << "at 0, 1 s and 2 s; a retry at 3 s would be past 2.5 s";
  EXPECT_EQ(outbox->due(clock.now_ms() + 1000000, 10).size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, DispatcherTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
