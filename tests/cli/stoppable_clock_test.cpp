#include "cli/stoppable_clock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace jirasync {
namespace {

using namespace std::chrono_literals;

TEST(StoppableClock, StopEndsASleepInProgressAndLaterOnes) {
  StoppableClock clock;
  std::atomic<bool> sleeping{false};
  const auto started = std::chrono::steady_clock::now();
  std::thread sleeper([&] {
    sleeping = true;
    clock.sleep_ms(30'000);
  });
  while (!sleeping) std::this_thread::yield();
  clock.stop();
  sleeper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "the sleep was not cut short";
  const auto later = std::chrono::steady_clock::now();
  clock.sleep_ms(30'000);
  EXPECT_LT(std::chrono::steady_clock::now() - later, 10s);
}

TEST(StoppableClock, SleepsTheirTimeUntilStopped) {
  StoppableClock clock;
  const int64_t before = clock.now_ms();
  clock.sleep_ms(20);
  EXPECT_GE(clock.now_ms() - before, 20);
}

}  // namespace
}  // namespace jirasync
