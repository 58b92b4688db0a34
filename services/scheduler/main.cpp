// jirasync-scheduler: cron, manual triggers, retries and the control API.
#include <spdlog/spdlog.h>

#include <set>

#include "common/clock/clock.hpp"
#include "common/notify/notification_service.hpp"
#include "common/service/background_refresh.hpp"
#include "common/service/service_process.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_webhook_inbox.hpp"
#include "services/api/api_keys_sql.hpp"
#include "services/api/key_access_check.hpp"
#include "services/scheduler/control_api.hpp"
#include "services/scheduler/run_metrics.hpp"
#include "services/scheduler/scheduler.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  ServiceProcess process(argc, argv, "jirasync-scheduler",
                         "Decides what to sync and when: cron per project, manual triggers and "
                         "webhooks through its control API, retries with backoff. Never lets "
                         "two runs of one project overlap.");
  try {
    SystemClock clock;
    auto db = process.open_database();
    migrate(*db);
    SqlRunStore runs(db);
    // Notifications deliver on a connection and a thread of their own.
    auto notifications =
        NotificationService::start(process.config(), process.open_database(), clock);
    auto bus = process.open_bus();
    Scheduler scheduler(SchedulerSettings::from(process.config()), *bus, runs, clock,
                        process.registry());
    if (process.config().bus == BusKind::kKafka) {
      // The broker as /readyz sees it (checked every second).
      scheduler.watch_broker(
          [&process] { return process.readiness().answering_since_ms("kafka"); });
    }
    SqlWebhookInbox inbox(db);
    WebhookRefreshes refreshes(inbox, runs, scheduler.trigger(), clock);
    scheduler.drain_webhooks_with(refreshes);
    std::set<std::string> projects;
    for (const auto& p : process.config().projects) projects.insert(p.key);
    // The API gets its own connection: it answers while a tick holds the other.
    auto api_db = process.open_database();
    SqlRunStore api_runs(api_db);
    SqlWebhookInbox api_inbox(api_db);
    WebhookRefreshes api_webhooks(api_inbox, api_runs, scheduler.trigger(), clock);
    ControlApi api(scheduler.trigger(), api_runs, api_webhooks, projects,
                   process.config().scheduler.webhook_secret);
    // /api/sync and /api/runs take the API's keys (jirasync apikey create).
    SqlApiKeyStore keys(api_db);
    KeyAccessCheck access(keys, clock);
    api.mount(process.http(), access);
    // Per-project run metrics from sync_runs, on a connection of their own.
    RunMetrics run_metrics(process.open_database(), process.config(), process.registry(),
                           clock.now_ms());
    BackgroundRefresh run_metrics_refresh("run metrics", kRunMetricsInterval,
                                          [&] { run_metrics.refresh(clock.now_ms()); });
    const int code = process.run([&](const std::atomic<bool>& stop) { scheduler.run(stop); });
    // The server (the process's) would serve until the process goes, but its
    // routes use the locals above: it stops (joining its handlers) before they go.
    process.http().stop();
    return code;
  } catch (const std::exception& e) {
    spdlog::critical("jirasync-scheduler cannot start: {}", e.what());
    return 1;
  }
}
