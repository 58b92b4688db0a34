#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace jirasync::world {

// One role process (jirasync-scheduler, -fetcher, -reconciler, -writer,
// -api) reading the world's config, its log in the world's directory and its
// health listener on a known address, so /readyz can be polled.
class RoleProcess {
 public:
  // Starts bin_dir/jirasync-ROLE --config CONFIG. `env` adds to (or
  // overrides) what the process gets; its JIRASYNC_LISTEN, if any, is kept,
  // otherwise a free loopback port is chosen.
  RoleProcess(const std::string& bin_dir, const std::string& role, const std::string& config_path,
              std::map<std::string, std::string> env, const std::string& log_path);

  // Polls /readyz until it answers 200. Throws std::runtime_error with the
  // log's tail when the process exits first or `deadline` passes, and
  // without waiting more once `*cancel` is true.
  void wait_ready(std::chrono::milliseconds deadline, const std::atomic<bool>* cancel = nullptr);
  bool ready();  // one poll

  const std::string& role() const { return role_; }
  const std::string& listen() const { return listen_; }  // "127.0.0.1:PORT"
  pid_t pid() const { return process_->pid(); }
  bool running() { return process_->running(); }
  void kill_hard() { process_->kill_hard(); }  // SIGKILL: the crash case
  void signal_stop();                          // SIGTERM, without waiting
  int stop(std::chrono::milliseconds grace) { return process_->stop(grace); }
  std::string log_tail(size_t bytes = 4000) const { return process_->log_tail(bytes); }
  const std::string& log_path() const { return process_->log_path(); }

 private:
  void spawn();
  // The process lost its chosen port to another process between the choice
  // and its bind (free_port() cannot hold it): start it again on a new one.
  bool restarted_on_a_new_port();

  std::string role_;
  std::string listen_;
  std::vector<std::string> argv_;
  std::map<std::string, std::string> env_;
  std::string log_path_;
  bool port_chosen_here_ = false;
  int port_retries_ = 0;
  std::unique_ptr<testing::ChildProcess> process_;
};

}  // namespace jirasync::world
