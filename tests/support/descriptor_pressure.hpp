#pragma once

// Test-only: running a process short of file descriptors, and measuring what
// CPU it burns meanwhile (a spinning accept loop shows there).

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <thread>
#include <vector>

namespace jirasync::testing {

// Lowers the soft RLIMIT_NOFILE of the test process; restores it on exit.
class FdLimit {
 public:
  explicit FdLimit(rlim_t soft) {
    if (::getrlimit(RLIMIT_NOFILE, &saved_) != 0) throw std::runtime_error("getrlimit");
    rlimit lowered = saved_;
    lowered.rlim_cur = soft;
    if (::setrlimit(RLIMIT_NOFILE, &lowered) != 0) throw std::runtime_error("setrlimit");
  }
  ~FdLimit() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  const rlimit& saved() const { return saved_; }

 private:
  rlimit saved_{};
};

// Every descriptor the process may still open, held until release().
class FdHog {
 public:
  FdHog() {
    for (;;) {
      const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) break;
      held_.push_back(fd);
    }
  }
  ~FdHog() { release(); }
  void give_back_one() {
    ::close(held_.back());
    held_.pop_back();
  }
  void release() {
    for (int fd : held_) ::close(fd);
    held_.clear();
  }
  std::size_t held() const { return held_.size(); }

 private:
  std::vector<int> held_;
};

// CPU seconds the process has used so far (user and system).
inline double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// CPU the whole process burns over one second in which the test thread sleeps:
// what the server thread spends on its own.
inline double cpu_seconds_over_one_second() {
  const double before = cpu_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // a measuring window, not a wait
  return cpu_seconds() - before;
}

}  // namespace jirasync::testing
