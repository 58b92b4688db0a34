#include "common/bus/bounded_teardown.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace jirasync {

namespace {

struct Completion {
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
};

}  // namespace

bool finish_within(std::chrono::milliseconds budget, const std::string& what,
                   std::function<void()> teardown) {
  auto completion = std::make_shared<Completion>();
  std::thread worker([completion, teardown = std::move(teardown)]() mutable {
    teardown();
    teardown = nullptr;  // what it owned goes now, not when the thread ends
    std::lock_guard lk(completion->mu);
    completion->done = true;
    completion->done_cv.notify_all();
  });
  bool finished = false;
  {
    std::unique_lock lk(completion->mu);
    finished = completion->done_cv.wait_for(lk, budget, [&] { return completion->done; });
  }
  if (finished) {
    worker.join();
    return true;
  }
  worker.detach();
  spdlog::warn("{}: not torn down after {} ms; left behind (a known librdkafka hang)", what,
               budget.count());
  return false;
}

}  // namespace jirasync
