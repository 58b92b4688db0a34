// jirasync-api: the cache over HTTP (REST /api/v1 and the other families) on
// `api.listen`, with API keys; health, readiness and metrics on `listen`.
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "common/bus/topics.hpp"
#include "common/clock/clock.hpp"
#include "common/service/service_process.hpp"
#include "common/service/sync_trigger.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_run_store.hpp"
#include "services/api/api_role.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  ServiceProcess process(argc, argv, "jirasync-api",
                         "Serves the cache over HTTP: the REST API under /api/v1 (OpenAPI at "
                         "/api/v1/openapi.json) on api.listen, for clients with an API key "
                         "(jirasync apikey create). Reads the database; asks the pipeline for "
                         "syncs and refreshes through the jobs topic.");
  try {
    const Config& config = process.config();
    SystemClock clock;
    auto db = process.open_database();
    migrate(*db);
    auto bus = process.open_bus();
    auto producer = bus->producer();
    SqlRunStore trigger_runs(db);
    SyncTrigger trigger(trigger_runs, *producer,
                        topic_name(config.kafka.topic_prefix, Topic::kJobs), clock);
    ApiRole api(
        config,
        [&config](int connections, const std::string& session_setup) {
          return Database::open(config.database_url, connections, session_setup);
        },
        config.api.handler_threads, trigger, clock);

    ServiceHttpServerOptions options;
    options.listen = config.api.listen;
    options.max_connections = static_cast<std::size_t>(config.http.max_connections);
    options.idle_timeout_ms = config.http.idle_timeout_ms;
    options.max_request_bytes = static_cast<std::size_t>(config.api.max_request_bytes);
    // A slow query holds one handler thread, never the listener; each handler
    // thread has its own database connections (ApiRole), so they read in parallel.
    options.handler_threads = static_cast<std::size_t>(config.api.handler_threads);
    ServiceHttpServer server(process.registry(), nullptr, options);
    api.mount(server);
    return process.run([&](const std::atomic<bool>& stop) {
      server.start();
      spdlog::info("jirasync-api serving the API on {}", server.bound_address());
      while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
      server.stop();
    });
  } catch (const std::exception& e) {
    spdlog::critical("jirasync-api cannot start: {}", e.what());
    return 1;
  }
}
