#include "services/fetcher/lease_keeping_producer.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "services/fetcher/fetch_run.hpp"

namespace jirasync {
namespace {

// A producer whose broker is away for the first `away_rounds` flushes; each
// flush takes its whole timeout on the fake clock, as a real one does then.
class AwayBroker final : public BusProducer {
 public:
  explicit AwayBroker(FakeClock& clock) : clock_(clock) {}
  int away_rounds = 0;
  bool lose_a_record = false;
  int flushes = 0;
  void produce(const std::string&, const std::string&, const std::string&) override {}
  void flush(std::chrono::milliseconds timeout) override {
    ++flushes;
    if (lose_a_record) throw BusError("kafka: 1 record(s) not delivered; first: timed out");
    if (flushes <= away_rounds) {
      clock_.advance_ms(timeout.count());
      throw BusUnacknowledged("kafka flush: 7 request(s) still unacknowledged");
    }
  }
  int64_t refused_records() const override { return lose_a_record ? 1 : 0; }

 private:
  FakeClock& clock_;
};

TEST(LeaseKeepingProducer, WaitsForTheBrokerKeepingTheLeaseMeanwhile) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  AwayBroker broker(clock);
  broker.away_rounds = 90;  // 90 s away: longer than any lease
  int leases_kept = 0;
  LeaseKeepingProducer producer(
      broker, [&] { ++leases_kept; }, clock, stop);
  ASSERT_NO_THROW(producer.flush(std::chrono::seconds(60)));
  EXPECT_EQ(broker.flushes, 91);
  EXPECT_EQ(leases_kept, 90);
}

TEST(LeaseKeepingProducer, ALostRecordStillFailsTheFlush) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  AwayBroker broker(clock);
  broker.lose_a_record = true;
  int leases_kept = 0;
  LeaseKeepingProducer producer(
      broker, [&] { ++leases_kept; }, clock, stop);
  EXPECT_THROW(producer.flush(std::chrono::seconds(60)), BusError);
  EXPECT_EQ(leases_kept, 0);
}

TEST(LeaseKeepingProducer, AStopEndsTheWaitWithinARound) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  AwayBroker broker(clock);
  broker.away_rounds = 1'000'000;
  int leases_kept = 0;
  LeaseKeepingProducer producer(
      broker,
      [&] {
        if (++leases_kept == 3) stop = true;  // SIGTERM meanwhile
      },
      clock, stop);
  EXPECT_THROW(producer.flush(std::chrono::seconds(60)), FetchInterrupted);
  EXPECT_EQ(broker.flushes, 4);
}

TEST(LeaseKeepingProducer, ADatabaseThatIsAwayTooFailsTheFlush) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  AwayBroker broker(clock);
  broker.away_rounds = 5;
  LeaseKeepingProducer producer(
      broker, [] { throw std::runtime_error("server closed the connection"); }, clock, stop);
  EXPECT_THROW(producer.flush(std::chrono::seconds(60)), std::runtime_error);
}

}  // namespace
}  // namespace jirasync
