#include "tests/world/simulator.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

#include "tests/world/readiness_probe.hpp"

namespace jirasync::world {

Simulator::Simulator(const std::string& bin_dir, const std::string& dir,
                     const std::string& projects, const std::vector<std::string>& extra_args,
                     std::chrono::milliseconds deadline) {
  const std::string port_file = dir + "/jirasim.port";
  std::remove(port_file.c_str());  // a port file of an earlier simulator is not this one's
  std::vector<std::string> argv{bin_dir + "/jirasim", "--port", "0", "--port-file", port_file,
                                "--projects",         projects};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<testing::ChildProcess>(argv, std::map<std::string, std::string>{},
                                                     dir + "/jirasim.log");
  const bool up = testing::wait_until(
      [&] {
        if (!process_->running()) return true;  // reported below
        if (port_ == 0) {
          std::ifstream in(port_file);
          if (!(in >> port_) || port_ <= 0) {
            port_ = 0;
            return false;
          }
        }
        return answers_ok("127.0.0.1:" + std::to_string(port_), "/__sim/health");
      },
      deadline);
  if (!process_->running()) {
    throw std::runtime_error("jirasim exited at start; its log (" + log_path() + "):\n" +
                             log_tail());
  }
  if (!up) {
    throw std::runtime_error("jirasim did not answer /__sim/health within " +
                             std::to_string(deadline.count() / 1000) + " s; its log (" +
                             log_path() + "):\n" + log_tail());
  }
}

Simulator::~Simulator() {
  process_->stop(std::chrono::seconds(5));
}

}  // namespace jirasync::world
