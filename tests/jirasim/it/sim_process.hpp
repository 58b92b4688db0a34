#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace jirasim::testing {

// A real `jirasim` process on a free port (--port 0 --port-file), for tests and
// the benchmark. The constructor polls for the port file with a deadline; the
// destructor stops the process.
class SimProcess {
 public:
  explicit SimProcess(const std::vector<std::string>& args,
                      std::chrono::milliseconds ready_within = std::chrono::seconds(30));
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

}  // namespace jirasim::testing
