#include "common/runtime/shutdown_signal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace jirasync {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "signal handler needs a lock-free flag");
static_assert(std::atomic<int>::is_always_lock_free, "signal handler needs a lock-free int");

// Process-wide because signal handlers are.
std::atomic<bool> g_requested{false};
std::atomic<int> g_signal{0};
std::atomic<bool> g_installed{false};
int g_pipe[2] = {-1, -1};
struct sigaction g_previous_int;
struct sigaction g_previous_term;

void wake_waiters() {
  const char byte = 1;
  // Non-blocking: if the pipe is full the waiters are already awake.
  [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
}

void on_signal(int sig) {
  if (!g_requested.load()) g_signal.store(sig);
  if (g_requested.exchange(true)) {
    // Second signal: the operator insists. Restore the default and let it act.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  const int saved_errno = errno;
  wake_waiters();
  errno = saved_errno;
}

void install(int sig, struct sigaction* previous) {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (::sigaction(sig, &action, previous) != 0) {
    throw std::runtime_error(std::string("sigaction failed: ") + std::strerror(errno));
  }
}

}  // namespace

ShutdownSignal::ShutdownSignal() {
  if (g_installed.exchange(true)) {
    throw std::logic_error("ShutdownSignal: only one instance may exist at a time");
  }
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    g_installed = false;
    throw std::runtime_error(std::string("ShutdownSignal: pipe2 failed: ") + std::strerror(errno));
  }
  g_requested = false;
  g_signal = 0;
  install(SIGINT, &g_previous_int);
  install(SIGTERM, &g_previous_term);
}

ShutdownSignal::~ShutdownSignal() {
  ::sigaction(SIGINT, &g_previous_int, nullptr);
  ::sigaction(SIGTERM, &g_previous_term, nullptr);
  ::close(g_pipe[0]);
  ::close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
  g_installed = false;
}

const std::atomic<bool>& ShutdownSignal::requested() const {
  return g_requested;
}

bool ShutdownSignal::wait_for(std::chrono::milliseconds timeout) const {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  while (!g_requested.load()) {
    const int64_t left = std::min<int64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count(),
        std::numeric_limits<int>::max());
    if (left <= 0) break;
    // The byte stays in the pipe, so every waiter (and every later wait) sees it.
    pollfd fd{g_pipe[0], POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(left));
    if (ready < 0 && errno != EINTR) break;
  }
  return g_requested.load();
}

void ShutdownSignal::request() {
  g_requested = true;
  wake_waiters();
}

int ShutdownSignal::signal_number() const {
  return g_signal.load();
}

}  // namespace jirasync
