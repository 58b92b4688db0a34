#include "cli/embedded_listener.hpp"

#include <prometheus/registry.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>

#include "cli/embedded_pipeline.hpp"
#include "common/service/background_refresh.hpp"
#include "common/service/dependency_probes.hpp"
#include "common/service/dependency_watch.hpp"
#include "common/service/process_metrics.hpp"
#include "common/service/service_process.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_webhook_inbox.hpp"
#include "services/api/api_keys_sql.hpp"
#include "services/api/key_access_check.hpp"
#include "services/scheduler/control_api.hpp"
#include "services/scheduler/run_metrics.hpp"
#include "services/scheduler/scheduler.hpp"
#include "services/scheduler/webhook_refreshes.hpp"

namespace jirasync {

namespace {

std::string not_ready_json(const std::string& failure) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("ready");
  w.Bool(false);
  w.Key("pipeline");
  w.String(failure.c_str(), static_cast<rapidjson::SizeType>(failure.size()));
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

EmbeddedListener::EmbeddedListener(const Config& config, EmbeddedPipeline& pipeline,
                                   prometheus::Registry& registry)
    : config_(config), pipeline_(pipeline), readiness_(clock_, kReadinessWindowMs) {
  // The webhook route and the scheduler's drain each on a connection of
  // their own, as in jirasync-scheduler: the route answers while a tick runs.
  inbox_ = std::make_unique<SqlWebhookInbox>(Database::open(config.database_url));
  refreshes_ = std::make_unique<WebhookRefreshes>(*inbox_, pipeline.runs(),
                                                  pipeline.scheduler().trigger(), clock_);
  pipeline.scheduler().drain_webhooks_with(*refreshes_);
  const auto api_db = Database::open(config.database_url);
  api_runs_ = std::make_unique<SqlRunStore>(api_db);
  api_inbox_ = std::make_unique<SqlWebhookInbox>(api_db);
  api_refreshes_ = std::make_unique<WebhookRefreshes>(*api_inbox_, *api_runs_,
                                                      pipeline.scheduler().trigger(), clock_);
  std::set<std::string> projects;
  for (const auto& p : config.projects) projects.insert(p.key);
  control_api_ =
      std::make_unique<ControlApi>(pipeline.scheduler().trigger(), *api_runs_, *api_refreshes_,
                                   projects, config.scheduler.webhook_secret);
  run_metrics_ = std::make_unique<RunMetrics>(Database::open(config.database_url), config, registry,
                                              clock_.now_ms());
  process_metrics_ = std::make_unique<ProcessMetrics>(registry);

  ServiceHttpServerOptions options;
  options.listen = config.listen;
  options.max_connections = static_cast<std::size_t>(config.http.max_connections);
  options.idle_timeout_ms = config.http.idle_timeout_ms;
  options.max_request_bytes = static_cast<std::size_t>(config.api.max_request_bytes);
  options.handler_threads = 4;  // the API's slow queries and streams never hold the listener
  http_ = std::make_unique<ServiceHttpServer>(registry, nullptr, options);
  http_->before_scrape([this] { process_metrics_->refresh(); });
  http_->set_readiness([this](const RouteRequest&) {
    const std::string failure = pipeline_.failure();
    if (!failure.empty()) return RouteResponse::json(503, not_ready_json(failure));
    const ReadinessReport report = readiness_.report();
    return RouteResponse::json(report.ready ? 200 : 503, report.json);
  });
  // /api/sync and /api/runs take the API's keys (jirasync apikey create).
  keys_ = std::make_unique<SqlApiKeyStore>(api_db);
  access_ = std::make_unique<KeyAccessCheck>(*keys_, clock_);
  control_api_->mount(*http_, *access_);
}

EmbeddedListener::~EmbeddedListener() {
  http_->stop();
  readiness_.set_serving(false);
}

void EmbeddedListener::start() {
  http_->start();
  watch_ = std::make_unique<DependencyWatch>(
      readiness_, dependency_probes(config_, std::chrono::milliseconds(1000)),
      std::chrono::milliseconds(1000));
  run_metrics_refresh_ = std::make_unique<BackgroundRefresh>(
      "run metrics", kRunMetricsInterval, [this] { run_metrics_->refresh(clock_.now_ms()); });
  readiness_.set_serving(true);
}

}  // namespace jirasync
