#include "common/service/service_process.hpp"

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include "common/bus/in_process_bus.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/log/logging.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/runtime/service_options.hpp"
#include "common/service/consumer_lag_metrics.hpp"
#include "common/service/dependency_probes.hpp"
#include "common/service/dependency_watch.hpp"
#include "common/store/database.hpp"

namespace jirasync {

std::unique_ptr<Bus> bus_from_config(const Config& config) {
  if (config.bus == BusKind::kInProcess) return std::make_unique<InProcessBus>();
  return std::make_unique<KafkaBus>(config.kafka);
}

ServiceProcess::ServiceProcess(int argc, char** argv, const std::string& name,
                               const std::string& description)
    : name_(name),
      registry_(std::make_shared<prometheus::Registry>()),
      readiness_(clock_, kReadinessWindowMs) {
  const ServiceOptions options = parse_service_options(argc, argv, name, description);
  try {
    config_ = load_service_config(options);
    init_logging(config_.log_level, name);
    set_log_format(parse_log_format(config_.log_format));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), redact(e.what()).c_str());
    std::exit(2);
  }
  ServiceHttpServerOptions http_options;
  http_options.listen = config_.listen;
  http_options.max_connections = static_cast<std::size_t>(config_.http.max_connections);
  http_options.idle_timeout_ms = config_.http.idle_timeout_ms;
  http_ = std::make_unique<ServiceHttpServer>(*registry_, nullptr, http_options);
  process_metrics_ = std::make_unique<ProcessMetrics>(*registry_);
  http_->before_scrape([this] { process_metrics_->refresh(); });
  http_->set_readiness([this](const RouteRequest&) {
    const ReadinessReport report = readiness_.report();
    return RouteResponse::json(report.ready ? 200 : 503, report.json);
  });
}

ServiceProcess::~ServiceProcess() {
  http_->stop();
}

std::unique_ptr<Bus> ServiceProcess::open_bus() const {
  return bus_from_config(config_);
}

std::shared_ptr<Database> ServiceProcess::open_database() const {
  return Database::open(config_.database_url);
}

int ServiceProcess::run(const std::function<void(const std::atomic<bool>&)>& loop) {
  try {
    http_->start();
    spdlog::info("{} listening on {} (health, readiness, metrics)", name_, http_->bound_address());
    DependencyWatch watch(readiness_, dependency_probes(config_, std::chrono::milliseconds(1000)),
                          std::chrono::milliseconds(1000));
    const auto lag = consumer_lag_metrics_for(config_, name_, *registry_);
    readiness_.set_serving(true);
    loop(signal_.requested());
    readiness_.set_serving(false);
    spdlog::info("{} stopped", name_);
    return 0;
  } catch (const std::exception& e) {
    readiness_.set_serving(false);
    spdlog::critical("{} failed: {}", name_, e.what());
    return 1;
  }
}

}  // namespace jirasync
