#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/http/service_http_server.hpp"
#include "common/runtime/shutdown_signal.hpp"
#include "common/service/process_metrics.hpp"
#include "common/service/readiness.hpp"

namespace prometheus {
class Registry;
}

namespace jirasync {

class Database;

// /readyz: dependencies are checked every second, each check gives up after
// one, and a dependency without an answer for 5 s makes the role not ready.
inline constexpr int64_t kReadinessWindowMs = 5000;

// What every role process shares around its loop: the command line
// (--help, --config), configuration, redacting logs, /healthz /readyz
// /metrics, the bus and database from the config, and a clean stop on
// SIGTERM/SIGINT. main() builds the role from these and calls run().
class ServiceProcess {
 public:
  // Exits the process for --help/--version and for configuration errors
  // (one clear line naming the key).
  ServiceProcess(int argc, char** argv, const std::string& name, const std::string& description);
  ~ServiceProcess();

  const Config& config() const { return config_; }
  prometheus::Registry& registry() { return *registry_; }
  ServiceHttpServer& http() { return *http_; }
  const std::atomic<bool>& stop() const { return signal_.requested(); }
  // What /readyz reports, per dependency, while run() runs.
  const Readiness& readiness() const { return readiness_; }

  std::unique_ptr<Bus> open_bus() const;
  std::shared_ptr<Database> open_database() const;

  // Starts the HTTP server and the dependency checks behind /readyz, runs
  // `loop` until shutdown (ready meanwhile while the database and the broker
  // answer). Returns the process exit code (0 on a clean stop, 1 when the
  // loop threw).
  int run(const std::function<void(const std::atomic<bool>&)>& loop);

 private:
  std::string name_;
  Config config_;
  std::shared_ptr<prometheus::Registry> registry_;
  SystemClock clock_;
  Readiness readiness_;
  std::unique_ptr<ServiceHttpServer> http_;
  std::unique_ptr<ProcessMetrics> process_metrics_;
  ShutdownSignal signal_;
};

// Builds the bus the config names: Kafka, or in-process (only meaningful
// when every role lives in this process).
std::unique_ptr<Bus> bus_from_config(const Config& config);

}  // namespace jirasync
