#include "common/runtime/shutdown_signal.hpp"

#include <unistd.h>

#include <csignal>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace jirasync {
namespace {

using namespace std::chrono_literals;

TEST(ShutdownSignalTest, StartsNotRequested) {
  ShutdownSignal signal;
  EXPECT_FALSE(signal.requested().load());
  EXPECT_FALSE(signal.wait_for(1ms));
  EXPECT_EQ(signal.signal_number(), 0);
}

TEST(ShutdownSignalTest, SigtermFlipsTheFlag) {
  ShutdownSignal signal;
  const std::atomic<bool>& stop = signal.requested();
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_TRUE(stop.load());
  EXPECT_EQ(signal.signal_number(), SIGTERM);
  EXPECT_TRUE(signal.wait_for(0ms));
}

TEST(ShutdownSignalTest, SigintFlipsTheFlag) {
  ShutdownSignal signal;
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_TRUE(signal.requested().load());
  EXPECT_EQ(signal.signal_number(), SIGINT);
}

TEST(ShutdownSignalTest, WaitWakesWhenAnotherThreadRequests) {
  ShutdownSignal signal;
  const auto started = std::chrono::steady_clock::now();
  std::thread requester([&signal] { signal.request(); });
  // A generous timeout: the test fails by taking a minute only if the wake-up is broken.
  const bool requested = signal.wait_for(60s);
  requester.join();
  EXPECT_TRUE(requested);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
  EXPECT_EQ(signal.signal_number(), 0);
}

TEST(ShutdownSignalTest, SignalFromAnotherThreadWakesWaiter) {
  ShutdownSignal signal;
  std::thread sender([] { ::kill(::getpid(), SIGTERM); });
  EXPECT_TRUE(signal.wait_for(60s));
  sender.join();
}

TEST(ShutdownSignalTest, OnlyOneInstanceAtATime) {
  ShutdownSignal signal;
  EXPECT_THROW(ShutdownSignal second, std::logic_error);
}

TEST(ShutdownSignalTest, NewInstanceStartsClearAfterPreviousWasSignalled) {
  {
    ShutdownSignal first;
    std::raise(SIGTERM);
    ASSERT_TRUE(first.requested().load());
  }
  ShutdownSignal second;
  EXPECT_FALSE(second.requested().load());
}

}  // namespace
}  // namespace jirasync
