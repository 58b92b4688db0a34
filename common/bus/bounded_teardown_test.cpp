#include "common/bus/bounded_teardown.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace jirasync {
namespace {

using namespace std::chrono_literals;

TEST(FinishWithin, ATeardownThatEndsIsWaitedForAndWhatItOwnedIsGone) {
  auto owned = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owned;
  bool ran = false;
  EXPECT_TRUE(finish_within(10s, "quick", [&ran, owned = std::move(owned)] { ran = *owned == 7; }));
  EXPECT_TRUE(ran);
  EXPECT_TRUE(watch.expired());
}

// A teardown that never ends on its own (as librdkafka's can) is left behind
// after the budget; it keeps what it owns until it does end.
TEST(FinishWithin, AHungTeardownIsLeftBehindAfterTheBudget) {
  struct Gate {
    std::mutex mu;
    std::condition_variable cv;
    bool open = false;
    std::atomic<bool> finished{false};
  };
  auto gate = std::make_shared<Gate>();
  EXPECT_FALSE(finish_within(20ms, "hung", [gate] {
    std::unique_lock lk(gate->mu);
    gate->cv.wait(lk, [&] { return gate->open; });
    gate->finished = true;
  }));
  EXPECT_FALSE(gate->finished.load());
  {
    std::lock_guard lk(gate->mu);
    gate->open = true;
  }
  gate->cv.notify_all();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!gate->finished && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_TRUE(gate->finished.load());
}

}  // namespace
}  // namespace jirasync
