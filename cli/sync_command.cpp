#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "cli/cli_context.hpp"
#include "cli/embedded_listener.hpp"
#include "cli/embedded_pipeline.hpp"
#include "cli/run_wait.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/clock/clock.hpp"
#include "common/http/service_http_server.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/runtime/shutdown_signal.hpp"
#include "common/service/sync_trigger.hpp"
#include "common/store/sql_run_store.hpp"
#include "services/api/api_role.hpp"
#include "services/scheduler/scheduler.hpp"

namespace jirasync {
namespace {

std::vector<std::string> projects_of(const Config& config, const std::string& only) {
  if (!only.empty()) {
    for (const auto& p : config.projects)
      if (p.key == only) return {only};
    throw ConfigError("projects", "project " + only + " is not configured");
  }
  std::vector<std::string> all;
  for (const auto& p : config.projects) all.push_back(p.key);
  if (all.empty()) throw ConfigError("projects", "no project is configured");
  return all;
}

std::vector<std::string> trigger_all(SyncTrigger& trigger, const std::vector<std::string>& projects,
                                     const SyncRequest& request) {
  std::vector<std::string> ids;
  for (const auto& project : projects) {
    auto result = trigger.trigger(project, request.kind, request.keys, "manual");
    if (result.started) {
      std::printf("%s: %s sync queued as run %s\n", project.c_str(), to_string(request.kind),
                  result.run.id.c_str());
    } else {
      std::printf("%s: not started, run %s is already %s\n", project.c_str(), result.run.id.c_str(),
                  to_string(result.run.status));
    }
    ids.push_back(result.run.id);
  }
  return ids;
}

// Everything `jirasync run` serves on `listen`: mount further routes here.
void start_listener(EmbeddedListener& listener) {
  listener.start();
}

}  // namespace

int sync_command(CliContext& ctx, const SyncRequest& request) {
  const Config& config = ctx.config();
  const auto projects = projects_of(config, request.project);
  ShutdownSignal signal;
  SqlRunStore runs(ctx.database());

  if (config.bus == BusKind::kInProcess) {
    // Single-user mode: this process is the whole pipeline for the run.
    HttpJiraClient jira(config.jira);
    prometheus::Registry registry;
    EmbeddedPipeline pipeline(config, jira, registry);
    pipeline.start(false);
    const auto ids = trigger_all(pipeline.scheduler().trigger(), projects, request);
    SystemClock clock;
    const bool ok = wait_for_runs(
        runs, ids, [&] { return signal.requested().load() || !pipeline.failure().empty(); }, clock);
    pipeline.stop();
    if (!pipeline.failure().empty()) {
      std::fprintf(stderr, "pipeline failed: %s\n", pipeline.failure().c_str());
      return 1;
    }
    return ok ? 0 : 1;
  }

  KafkaBus bus(config.kafka);
  auto producer = bus.producer();
  SystemClock clock;
  SyncTrigger trigger(runs, *producer, topic_name(config.kafka.topic_prefix, Topic::kJobs), clock);
  const auto ids = trigger_all(trigger, projects, request);
  if (!request.wait) return 0;
  return wait_for_runs(
             runs, ids, [&] { return signal.requested().load(); }, clock)
             ? 0
             : 1;
}

int run_command(CliContext& ctx, bool once) {
  const Config& config = ctx.config();
  ShutdownSignal signal;
  HttpJiraClient jira(config.jira);
  prometheus::Registry registry;
  EmbeddedPipeline pipeline(config, jira, registry);
  if (once) {
    // A full sync of every project, then exit: the first-run experience.
    pipeline.start(false);
    SqlRunStore runs(ctx.database());
    SyncRequest request;
    request.kind = JobKind::kFull;
    const auto ids = trigger_all(pipeline.scheduler().trigger(), projects_of(config, ""), request);
    SystemClock clock;
    const bool ok = wait_for_runs(
        runs, ids, [&] { return signal.requested().load() || !pipeline.failure().empty(); }, clock);
    pipeline.stop();
    if (!pipeline.failure().empty())
      std::fprintf(stderr, "pipeline failed: %s\n", pipeline.failure().c_str());
    return ok && pipeline.failure().empty() ? 0 : 1;
  }
  SystemClock api_clock;
  // Declared before the listener, so its server stops before the API it calls goes.
  std::unique_ptr<ApiRole> api;
  EmbeddedListener listener(config, pipeline, registry);
  (void)ctx.database();  // migrated before the API opens its own connections
  api = mount_api(listener.server(), config, pipeline.scheduler().trigger(), api_clock);
  start_listener(listener);
  std::printf(
      "jirasync running all roles on %s; serving the API (http://%s/api/v1, the dashboard at /; "
      "keys: jirasync apikey create), /metrics, /healthz, /readyz and /api/webhook; Ctrl-C to "
      "stop\n",
      redact(config.database_url).c_str(), listener.bound_address().c_str());
  std::fflush(stdout);
  pipeline.start(true);
  while (!signal.wait_for(std::chrono::seconds(1))) {
    if (!pipeline.failure().empty()) break;
  }
  pipeline.stop();  // before the listener goes: the scheduler drains its webhook queue
  if (!pipeline.failure().empty()) {
    std::fprintf(stderr, "pipeline failed: %s\n", pipeline.failure().c_str());
    return 1;
  }
  return 0;
}

}  // namespace jirasync
