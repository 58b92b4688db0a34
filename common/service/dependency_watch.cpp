#include "common/service/dependency_watch.hpp"

namespace jirasync {

DependencyWatch::DependencyWatch(Readiness& readiness,
                                 std::vector<std::unique_ptr<ReadinessProbe>> probes,
                                 std::chrono::milliseconds interval)
    : readiness_(readiness), probes_(std::move(probes)), interval_(interval) {
  for (const auto& probe : probes_) readiness_.add(probe->name());
  for (const auto& probe : probes_) {
    threads_.emplace_back([this, p = probe.get()] { watch(*p); });
  }
}

DependencyWatch::~DependencyWatch() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void DependencyWatch::watch(ReadinessProbe& probe) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    readiness_.run_check(probe);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace jirasync
