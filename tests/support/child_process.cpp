#include "tests/support/child_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace jirasync::testing {

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           std::string log_path)
    : log_path_(std::move(log_path)) {
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    if (!env.count(kv.substr(0, kv.find('=')))) envs.push_back(kv);
  }
  for (auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : envs) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    setpgid(0, 0);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (!reaped_) stop(std::chrono::seconds(5));
}

bool ChildProcess::running() {
  if (reaped_) return false;
  const pid_t r = waitpid(pid_, &status_, WNOHANG);
  if (r == pid_) reaped_ = true;
  return !reaped_;
}

void ChildProcess::kill_hard() {
  if (!running()) return;
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status_, 0);
  reaped_ = true;
}

namespace {
// Where each thread of a process that ignored SIGTERM is, printed before it
// is killed: the only trace such a hang leaves on a CI machine. Needs gdb.
void print_stacks(pid_t pid) {
  const std::string command = "command -v gdb >/dev/null && timeout 60 gdb -p " +
                              std::to_string(pid) +
                              " -batch -ex 'thread apply all bt' </dev/null 2>&1 | "
                              "grep -E '^(Thread|#)' >&2";
  std::fprintf(stderr, "---- process %d outlived its grace after SIGTERM; its threads: ----\n",
               static_cast<int>(pid));
  std::fflush(stderr);
  if (std::system(command.c_str()) != 0)
    std::fprintf(stderr, "(no stacks: gdb failed or is missing)\n");
}
}  // namespace

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (running()) {
    ::kill(pid_, SIGTERM);
    if (!wait_until([&] { return !running(); }, grace)) {
      print_stacks(pid_);
      kill_hard();
    }
  }
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) return -WTERMSIG(status_);
  return -1;
}

std::string ChildProcess::log_tail(size_t bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

CommandResult run_to_exit(std::vector<std::string> argv, std::map<std::string, std::string> env,
                          const std::string& log_path, std::chrono::milliseconds deadline) {
  std::ofstream(log_path, std::ios::trunc).close();
  ChildProcess child(std::move(argv), std::move(env), log_path);
  CommandResult result;
  if (wait_until([&] { return !child.running(); }, deadline, std::chrono::milliseconds(20))) {
    result.exit_code = child.stop();
  } else {
    child.kill_hard();
    result.exit_code = kTimedOutExitCode;
  }
  result.output = child.log_tail(std::string::npos);
  return result;
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds deadline,
                std::chrono::milliseconds every) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (ready()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(every);
  }
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a free port");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string binary_path(const std::string& name) {
#ifdef JIRASYNC_BINARY_DIR
  return std::string(JIRASYNC_BINARY_DIR) + "/" + name;
#else
  return name;
#endif
}

}  // namespace jirasync::testing
