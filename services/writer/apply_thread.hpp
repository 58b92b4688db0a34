#pragma once

#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "common/store/decision_sink.hpp"

namespace jirasync {

// The one thread that applies the writer's batches in the background, made
// once and reused: a thread per batch cost a clone and an exit every 64 ms
// and showed as hundreds of short-lived threads per sync. One batch at a time.
class ApplyThread {
 public:
  using Apply = std::function<DecisionSink::ApplyResult()>;

  ApplyThread();
  ~ApplyThread();
  ApplyThread(const ApplyThread&) = delete;
  ApplyThread& operator=(const ApplyThread&) = delete;

  // Starts `apply`; its result (or exception) comes through the future. The
  // previous apply must have finished.
  std::future<DecisionSink::ApplyResult> start(Apply apply);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<std::packaged_task<DecisionSink::ApplyResult()>> next_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace jirasync
