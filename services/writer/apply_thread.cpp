#include "services/writer/apply_thread.hpp"

namespace jirasync {

ApplyThread::ApplyThread() : thread_([this] { work(); }) {}

ApplyThread::~ApplyThread() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::future<DecisionSink::ApplyResult> ApplyThread::start(Apply apply) {
  std::packaged_task<DecisionSink::ApplyResult()> task(std::move(apply));
  auto future = task.get_future();
  {
    std::lock_guard lock(mutex_);
    next_.emplace(std::move(task));
  }
  wake_.notify_one();
  return future;
}

void ApplyThread::work() {
  for (;;) {
    std::packaged_task<DecisionSink::ApplyResult()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || next_.has_value(); });
      // A started apply still runs: the writer waits on its future.
      if (!next_) return;
      task = std::move(*next_);
      next_.reset();
    }
    task();
  }
}

}  // namespace jirasync
