#include "cli/embedded_pipeline.hpp"

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include "common/bus/in_process_bus.hpp"
#include "common/notify/notification_service.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_rate_bucket_store.hpp"
#include "common/store/sql_run_slices.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "services/fetcher/fetcher.hpp"
#include "services/fetcher/sync_scope.hpp"
#include "services/reconciler/reconciler.hpp"
#include "services/scheduler/scheduler.hpp"
#include "services/writer/writer.hpp"

namespace jirasync {

EmbeddedPipeline::EmbeddedPipeline(const Config& config, JiraClient& jira,
                                   prometheus::Registry& registry)
    : config_(config), bus_(std::make_unique<InProcessBus>()) {
  db_ = Database::open(config.database_url);
  migrate(*db_);
  // Each role its own connection, as the separate processes would have.
  runs_ = std::make_unique<SqlRunStore>(db_);
  fetch_runs_ = std::make_unique<SqlRunStore>(Database::open(config.database_url));
  buckets_ = std::make_unique<SqlRateBucketStore>(Database::open(config.database_url));
  cached_ids_ = std::make_unique<SqlCachedIssueIds>(Database::open(config.database_url));
  reconcile_tickets_ = std::make_unique<SqlTicketCache>(Database::open(config.database_url));
  write_tickets_ = std::make_unique<SqlDecisionSink>(Database::open(config.database_url),
                                                     config.notifications.mass_delete_share);
  scheduler_ = std::make_unique<Scheduler>(SchedulerSettings::from(config_), *bus_, *runs_,
                                           scheduler_clock_, registry);
  install_sync_scopes(config_.projects);
  fetch_slices_ = std::make_unique<SqlRunSlices>(Database::open(config.database_url));
  field_catalog_ = std::make_unique<SqlFieldCatalog>(Database::open(config.database_url));
  // Slices go round the in-process bus to this same fetcher's slice thread.
  fetcher_ = std::make_unique<Fetcher>(FetcherSettings::from(config_), *bus_, jira, *fetch_runs_,
                                       *buckets_, clock_, registry, cached_ids_.get(),
                                       fetch_slices_.get(), field_catalog_.get());
  reconciler_ = std::make_unique<Reconciler>(ReconcilerSettings::from(config_), *bus_,
                                             *reconcile_tickets_, clock_, registry);
  writer_ = std::make_unique<Writer>(WriterSettings::from(config_), *bus_, *write_tickets_, clock_,
                                     registry);
}

EmbeddedPipeline::~EmbeddedPipeline() {
  stop();
}

void EmbeddedPipeline::spawn(const char* name, std::function<void(const std::atomic<bool>&)> body) {
  threads_.emplace_back([this, name, body = std::move(body)] {
    try {
      body(stop_);
    } catch (const std::exception& e) {
      spdlog::critical("{} stopped: {}", name, e.what());
      std::lock_guard lk(failure_mu_);
      if (failure_.empty()) failure_ = std::string(name) + ": " + e.what();
    }
  });
}

void EmbeddedPipeline::start(bool with_cron) {
  spawn("writer", [this](const std::atomic<bool>& stop) { writer_->run(stop); });
  spawn("reconciler", [this](const std::atomic<bool>& stop) { reconciler_->run(stop); });
  spawn("fetcher", [this](const std::atomic<bool>& stop) { fetcher_->run(stop); });
  // Retries run wherever runs run: a one-shot sync re-queues its own failed
  // attempts, or its --wait would never end.
  spawn("scheduler",
        [this, with_cron](const std::atomic<bool>& stop) { scheduler_->run(stop, with_cron); });
  notifications_ =
      NotificationService::start(config_, Database::open(config_.database_url), clock_);
}

void EmbeddedPipeline::stop() {
  stop_ = true;
  // Every role sees `stop_` now instead of after its poll or tick ends.
  bus_->wake_consumers();
  scheduler_clock_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  notifications_.reset();
}

std::string EmbeddedPipeline::failure() const {
  std::lock_guard lk(failure_mu_);
  return failure_;
}

}  // namespace jirasync
