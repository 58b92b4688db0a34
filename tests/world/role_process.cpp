#include "tests/world/role_process.hpp"

#include <signal.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "tests/world/readiness_probe.hpp"

namespace jirasync::world {

RoleProcess::RoleProcess(const std::string& bin_dir, const std::string& role,
                         const std::string& config_path, std::map<std::string, std::string> env,
                         const std::string& log_path)
    : role_(role) {
  auto listen = env.find("JIRASYNC_LISTEN");
  if (listen == env.end() || listen->second.empty()) {
    env["JIRASYNC_LISTEN"] = "127.0.0.1:" + std::to_string(testing::free_port());
  }
  listen_ = env["JIRASYNC_LISTEN"];
  process_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{bin_dir + "/jirasync-" + role, "--config", config_path},
      std::move(env), log_path);
}

bool RoleProcess::ready() {
  return answers_ok(listen_, "/readyz");
}

void RoleProcess::wait_ready(std::chrono::milliseconds deadline, const std::atomic<bool>* cancel) {
  const auto cancelled = [&] { return cancel != nullptr && cancel->load(); };
  const bool up =
      testing::wait_until([&] { return cancelled() || !process_->running() || ready(); }, deadline,
                          std::chrono::milliseconds(100));
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
