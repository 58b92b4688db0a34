#include "common/service/background_refresh.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace jirasync {

BackgroundRefresh::BackgroundRefresh(std::string what, std::chrono::milliseconds interval,
                                     std::function<void()> refresh)
    : what_(std::move(what)),
      interval_(interval),
      refresh_(std::move(refresh)),
      thread_([this] { loop(); }) {}

BackgroundRefresh::~BackgroundRefresh() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void BackgroundRefresh::loop() {
  std::unique_lock lk(mu_);
  while (!stop_) {
    lk.unlock();
    try {
      refresh_();
    } catch (const std::exception& e) {
      spdlog::debug("{} not refreshed: {}", what_, e.what());
    }
    lk.lock();
    wake_.wait_for(lk, interval_, [this] { return stop_; });
  }
}

}  // namespace jirasync
