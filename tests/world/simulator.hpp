#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace jirasync::world {

// The jirasim binary on a free port, its log in the world's directory. Ready
// when its port file is written and /__sim/health answers; stopped (by pid)
// when the object goes away.
class Simulator {
 public:
  // `projects` as jirasim's --projects ("WRKA:500,WMB:300"); `extra_args`
  // are more flags (--seed 7, --search-lag-ms 3000 ...). Throws
  // std::runtime_error with the log's tail when it does not come up in time.
  Simulator(const std::string& bin_dir, const std::string& dir, const std::string& projects,
            const std::vector<std::string>& extra_args, std::chrono::milliseconds deadline);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return process_->pid(); }
  bool running() { return process_->running(); }
  std::string log_tail(size_t bytes = 4000) const { return process_->log_tail(bytes); }
  const std::string& log_path() const { return process_->log_path(); }

 private:
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = 0;
};

}  // namespace jirasync::world
