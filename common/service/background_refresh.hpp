#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace jirasync {

// Calls `refresh` at once and then every `interval` on a thread of its own
// until destroyed, so metrics read from the database or the brokers move even
// while a role's loop is stuck. A refresh that throws is logged at debug and
// tried again next time: the metrics keep their last values meanwhile.
class BackgroundRefresh {
 public:
  BackgroundRefresh(std::string what, std::chrono::milliseconds interval,
                    std::function<void()> refresh);
  ~BackgroundRefresh();  // stops promptly (after a refresh in progress)
  BackgroundRefresh(const BackgroundRefresh&) = delete;
  BackgroundRefresh& operator=(const BackgroundRefresh&) = delete;

 private:
  void loop();

  std::string what_;
  std::chrono::milliseconds interval_;
  std::function<void()> refresh_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace jirasync
