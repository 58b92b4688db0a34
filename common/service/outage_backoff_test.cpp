#include "common/service/outage_backoff.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/clock/fake_clock.hpp"

namespace jirasync {
namespace {

// Fails while the fake clock is before `up_at_ms`, as a store does while its
// server is down; counts the calls.
struct FlakyDependency {
  FakeClock& clock;
  int64_t up_at_ms;
  int calls = 0;
  int answer() {
    ++calls;
    if (clock.now_ms() < up_at_ms) throw std::runtime_error("connection refused");
    return 42;
  }
};

TEST(OutageBackoff, WaitsDoubleFromTheFirstUpToTheCap) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  OutageBackoff backoff(clock, stop, 500, 4000);
  EXPECT_EQ(backoff.record_failure(), 500);
  EXPECT_EQ(backoff.record_failure(), 1000);
  EXPECT_EQ(backoff.record_failure(), 2000);
  EXPECT_EQ(backoff.record_failure(), 4000);
  EXPECT_EQ(backoff.record_failure(), 4000);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(backoff.record_failure(), 4000);
  backoff.reset();
  EXPECT_EQ(backoff.record_failure(), 500);
}

TEST(OutageBackoff, RetriesUntilTheDependencyAnswersAgain) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  OutageBackoff backoff(clock, stop);
  const int64_t start = clock.now_ms();
  FlakyDependency db{clock, start + 20'000};
  const int answer = retry_through_outage(backoff, "reading the run", [&] { return db.answer(); });
  EXPECT_EQ(answer, 42);
  // 0.5 + 1 + 2 + 4 + 8 = 15.5 s, then 10 s: up at 20 s, seen at 25.5 s.
  EXPECT_EQ(db.calls, 7);
  EXPECT_EQ(clock.now_ms() - start, 25'500);
}

TEST(OutageBackoff, AVoidCallIsRetriedToo) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  OutageBackoff backoff(clock, stop);
  FlakyDependency db{clock, clock.now_ms() + 1000};
  retry_through_outage(backoff, "heartbeat", [&] { db.answer(); });
  EXPECT_EQ(db.calls, 3);
}

TEST(OutageBackoff, AStopWhileWaitingEndsTheWaitAtOnce) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  OutageBackoff backoff(clock, stop);
  int calls = 0;
  EXPECT_THROW(retry_through_outage(backoff, "reading the run",
                                    [&]() -> int {
                                      if (++calls == 3) stop = true;  // SIGTERM meanwhile
                                      throw std::runtime_error("server closed the connection");
                                    }),
               std::runtime_error);
  EXPECT_EQ(calls, 3);
}

TEST(OutageBackoff, StopIsSeenWithinASliceOfTheWait) {
  std::atomic<bool> stop{false};
  // A clock whose sleeping requests the stop, as a signal would meanwhile.
  struct StoppingClock final : Clock {
    std::atomic<bool>& stop;
    int64_t now = 0;
    explicit StoppingClock(std::atomic<bool>& s) : stop(s) {}
    int64_t now_ms() const override { return now; }
    void sleep_ms(int64_t ms) override {
      now += ms;
      if (now >= 250) stop = true;
    }
  } stopping(stop);
  OutageBackoff slow(stopping, stop, 10'000, 10'000);
  EXPECT_FALSE(slow.sleep(10'000));
  EXPECT_LE(stopping.now, 300);
}

TEST(OutageBackoff, LogicErrorsAreBugsNotOutages) {
  FakeClock clock;
  std::atomic<bool> stop{false};
  OutageBackoff backoff(clock, stop);
  int calls = 0;
  EXPECT_THROW(retry_through_outage(backoff, "x",
                                    [&]() -> int {
                                      ++calls;
                                      throw std::invalid_argument("run_id: no sync run 'r9'");
                                    }),
               std::invalid_argument);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace jirasync
