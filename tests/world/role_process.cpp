#include "tests/world/role_process.hpp"

#include <signal.h>

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/world/readiness_probe.hpp"

namespace jirasync::world {

RoleProcess::RoleProcess(const std::string& bin_dir, const std::string& role,
                         const std::string& config_path, std::map<std::string, std::string> env,
                         const std::string& log_path)
    : role_(role),
      argv_{bin_dir + "/jirasync-" + role, "--config", config_path},
      env_(std::move(env)),
      log_path_(log_path) {
  auto listen = env_.find("JIRASYNC_LISTEN");
  if (listen == env_.end() || listen->second.empty()) {
    env_["JIRASYNC_LISTEN"] = "127.0.0.1:" + std::to_string(testing::free_port());
    port_chosen_here_ = true;
  }
  spawn();
}

void RoleProcess::spawn() {
  listen_ = env_["JIRASYNC_LISTEN"];
  process_ = std::make_unique<testing::ChildProcess>(argv_, env_, log_path_);
}

bool RoleProcess::restarted_on_a_new_port() {
  constexpr int kMaxRetries = 3;
  if (!port_chosen_here_ || port_retries_ >= kMaxRetries || process_->running() ||
      log_tail(400).find("Address already in use") == std::string::npos) {
    return false;
  }
  ++port_retries_;
  env_["JIRASYNC_LISTEN"] = "127.0.0.1:" + std::to_string(testing::free_port());
  spawn();
  return true;
}

bool RoleProcess::ready() {
  return answers_ok(listen_, "/readyz");
}

void RoleProcess::wait_ready(std::chrono::milliseconds deadline, const std::atomic<bool>* cancel) {
  const auto cancelled = [&] { return cancel != nullptr && cancel->load(); };
  const auto start = std::chrono::steady_clock::now();
  bool up = false;
  do {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - (std::chrono::steady_clock::now() - start));
    up = testing::wait_until([&] { return cancelled() || !process_->running() || ready(); },
                             std::max(left, std::chrono::milliseconds(0)),
                             std::chrono::milliseconds(100));
  } while (!cancelled() && restarted_on_a_new_port());
  if (cancelled()) throw std::runtime_error("stopped while waiting for jirasync-" + role_);
  if (!process_->running()) {
    throw std::runtime_error("jirasync-" + role_ + " exited at start; its log (" + log_path() +
                             "):\n" + log_tail());
  }
  if (!up) {
    throw std::runtime_error("jirasync-" + role_ + " was not ready on http://" + listen_ +
                             "/readyz within " + std::to_string(deadline.count() / 1000) +
                             " s; its log (" + log_path() + "):\n" + log_tail());
  }
}

void RoleProcess::signal_stop() {
  if (process_->running()) ::kill(process_->pid(), SIGTERM);
}

}  // namespace jirasync::world
