#pragma once

#include <memory>
#include <string>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/http/service_http_server.hpp"
#include "common/service/readiness.hpp"

namespace prometheus {
class Registry;
}

namespace jirasync {

class BackgroundRefresh;
class ControlApi;
class DependencyWatch;
class EmbeddedPipeline;
class KeyAccessCheck;
class ProcessMetrics;
class RunMetrics;
class SqlApiKeyStore;
class SqlRunStore;
class SqlWebhookInbox;
class WebhookRefreshes;

// The HTTP face of `jirasync run` on `listen`, as each role process has its
// own: /healthz, /readyz (the database answers and no role has died),
// /metrics (every role's metrics, the run metrics from sync_runs, the
// process's CPU and memory), the scheduler's control API (keyed), whose
// POST /api/webhook takes Jira's webhooks (queued keys become refresh runs),
// and the API role's routes (mounted on server() by run_command).
// Make it before pipeline.start(), and stop the pipeline before it goes: it
// hands the scheduler its webhook queue.
class EmbeddedListener {
 public:
  EmbeddedListener(const Config& config, EmbeddedPipeline& pipeline,
                   prometheus::Registry& registry);
  ~EmbeddedListener();  // stops serving
  EmbeddedListener(const EmbeddedListener&) = delete;
  EmbeddedListener& operator=(const EmbeddedListener&) = delete;

  // More routes go here before start() (the API role's, for one).
  ServiceHttpServer& server() { return *http_; }
  // Binds `listen` and serves; throws std::runtime_error naming the address
  // when it cannot.
  void start();
  std::string bound_address() const { return http_->bound_address(); }

 private:
  const Config& config_;
  EmbeddedPipeline& pipeline_;
  SystemClock clock_;
  Readiness readiness_;
  std::unique_ptr<SqlRunStore> api_runs_;
  std::unique_ptr<SqlWebhookInbox> inbox_;
  std::unique_ptr<SqlWebhookInbox> api_inbox_;
  std::unique_ptr<WebhookRefreshes> refreshes_;      // the scheduler's drain
  std::unique_ptr<WebhookRefreshes> api_refreshes_;  // the webhook route's
  std::unique_ptr<SqlApiKeyStore> keys_;
  std::unique_ptr<KeyAccessCheck> access_;
  std::unique_ptr<ControlApi> control_api_;
  std::unique_ptr<RunMetrics> run_metrics_;
  std::unique_ptr<ProcessMetrics> process_metrics_;
  std::unique_ptr<ServiceHttpServer> http_;
  std::unique_ptr<DependencyWatch> watch_;
  std::unique_ptr<BackgroundRefresh> run_metrics_refresh_;
};

}  // namespace jirasync
