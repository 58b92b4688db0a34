#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace jirasync::testing {

// A program started by a test: its output goes to a log file, and it is
// stopped (SIGTERM, then SIGKILL) when the object goes away.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::string log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void kill_hard();  // SIGKILL: the crash case
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit status (or -signal).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  std::string log_tail(size_t bytes = 4000) const;
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
  std::string log_path_;
};

// What a command that ran to its end printed (stdout and stderr, interleaved).
constexpr int kTimedOutExitCode = -1000;  // it outlived its deadline and was killed
struct CommandResult {
  int exit_code = -1;  // or -signal, or kTimedOutExitCode
  std::string output;
};

// Runs a program to its end (output to `log_path`, which is truncated first),
// killing it if it is still running after `deadline`.
CommandResult run_to_exit(std::vector<std::string> argv, std::map<std::string, std::string> env,
                          const std::string& log_path, std::chrono::milliseconds deadline);

// Polls `ready` until it returns true or the deadline passes.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds deadline,
                std::chrono::milliseconds every = std::chrono::milliseconds(50));

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

// Directory of the built executables (set by cmake as JIRASYNC_BINARY_DIR).
std::string binary_path(const std::string& name);

}  // namespace jirasync::testing
