#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace jirasync {

// The threads that carry a fetcher's Jira requests when several are in
// flight. Made once per fetcher and reused by every run; the caller bounds
// how many requests it hands over at a time (jira.concurrency).
class RequestWorkers {
 public:
  explicit RequestWorkers(size_t threads);
  ~RequestWorkers();
  RequestWorkers(const RequestWorkers&) = delete;
  RequestWorkers& operator=(const RequestWorkers&) = delete;

  size_t size() const { return threads_.size(); }

  // Runs `fn` on a worker; its result or exception arrives through the future.
  template <class Fn>
  auto submit(Fn fn) -> std::future<decltype(fn())> {
    auto task = std::make_shared<std::packaged_task<decltype(fn())()>>(std::move(fn));
    auto future = task->get_future();
    post([task] { (*task)(); });
    return future;
  }

 private:
  void post(std::function<void()> job);
  void work();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jirasync
