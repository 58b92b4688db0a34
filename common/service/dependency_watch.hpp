#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/service/readiness.hpp"

namespace jirasync {

// Checks each probe every `interval` on a thread of its own and records the
// answers in a Readiness, so /readyz only reads cached answers and a hung
// dependency delays no other. Stops and joins when destroyed.
class DependencyWatch {
 public:
  DependencyWatch(Readiness& readiness, std::vector<std::unique_ptr<ReadinessProbe>> probes,
                  std::chrono::milliseconds interval);
  ~DependencyWatch();
  DependencyWatch(const DependencyWatch&) = delete;
  DependencyWatch& operator=(const DependencyWatch&) = delete;

 private:
  void watch(ReadinessProbe& probe);

  Readiness& readiness_;
  std::vector<std::unique_ptr<ReadinessProbe>> probes_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jirasync
