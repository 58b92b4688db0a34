#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace jirasync::e2e {

// A PostgreSQL cluster, ZooKeeper and a Kafka broker of one test alone:
// scripts/services.sh in a temporary directory, on free ports. For tests that
// stop, kill and restart them while ctest runs other tests against the shared
// ones. While it lives, JIRASYNC_TEST_PG_URL and JIRASYNC_TEST_KAFKA_BROKERS
// name these servers, so a PipelineHarness built after it uses them; the old
// values come back, the servers are stopped and the directory removed when it
// goes away (the directory is kept when the test failed).
class PrivateServices {
 public:
  // Throws std::runtime_error with the script's output when they do not come up.
  PrivateServices();
  ~PrivateServices();
  PrivateServices(const PrivateServices&) = delete;
  PrivateServices& operator=(const PrivateServices&) = delete;

  void stop_postgres();  // pg_ctl stop -m fast: clients are disconnected, the server exits
  void kill_postgres();  // kill -9 of the postmaster: a crash
  void kill_kafka();     // kill -9 of the broker
  // Starts whatever is down (services.sh start), again and again until it
  // succeeds or `deadline` passes: a killed postmaster's backends or a killed
  // broker's ZooKeeper registration take a moment to go.
  void start_again(std::chrono::milliseconds deadline = std::chrono::minutes(3));

  const std::string& dir() const { return dir_; }

 private:
  // Runs scripts/services.sh COMMAND; returns whether it exited 0, its output in `output`.
  bool script(const std::string& command, std::string* output = nullptr);
  void export_env();
  void durable_commits();
  void kill_pidfile(const std::string& path, const char* what);

  std::string dir_;
  std::map<std::string, std::optional<std::string>> saved_env_;
  int script_calls_ = 0;
};

}  // namespace jirasync::e2e
