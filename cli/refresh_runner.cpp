#include "cli/refresh_runner.hpp"

#include <prometheus/registry.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/embedded_pipeline.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/bus/topics.hpp"
#include "common/clock/clock.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "services/scheduler/scheduler.hpp"
#include "common/service/sync_trigger.hpp"

namespace jirasync {
namespace {

bool ended(const SyncRun& run) {
  return run.status == RunStatus::kSuccess || run.status == RunStatus::kFailed;
}

// Triggers one refresh run per project and polls them until all ended or the
// deadline passed.
void run_and_wait(CliContext& ctx, SyncTrigger& trigger,
                  const std::map<std::string, std::vector<RefreshTarget>>& by_project,
                  int64_t budget_ms, bool show_progress, const std::function<bool()>& broken,
                  RefreshOutcome& out) {
  SystemClock clock;
  SqlRunStore runs(ctx.database());
  std::vector<std::string> ids;
  for (const auto& [project, targets] : by_project) {
    std::vector<std::string> keys;
    for (const RefreshTarget& t : targets) keys.push_back(t.key);
    const auto result = trigger.trigger(project, JobKind::kRefresh, keys, "refresh");
    if (!result.started) {
      out.problem += (out.problem.empty() ? "" : "; ") + project + " is busy with run " +
                     result.run.id + " (" + to_string(result.run.status) + ")";
      continue;
    }
    if (show_progress)
      std::fprintf(stderr, "%s: refreshing %zu issue(s) as run %s\n", project.c_str(), keys.size(),
                   result.run.id.c_str());
    ids.push_back(result.run.id);
  }
  const int64_t deadline = clock.now_ms() + budget_ms;
  for (;;) {
    bool all = true;
    for (const auto& id : ids) {
      const auto run = runs.get_run(id);
      all = all && run && ended(*run);
    }
    if (all || clock.now_ms() >= deadline || broken()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  SqlTicketFreshness freshness(ctx.database());
  for (const auto& id : ids) {
    auto run = runs.get_run(id);
    if (!run) continue;
    if (!ended(*run)) {
      out.problem += (out.problem.empty() ? "" : "; ") + std::string("run ") + id +
                     " did not finish within " + std::to_string(budget_ms / 1000) + " s";
    } else if (run->status == RunStatus::kFailed) {
      out.problem +=
          (out.problem.empty() ? "" : "; ") + std::string("run ") + id + " failed: " + run->error;
    } else {
      std::vector<std::string> checked;
      for (const RefreshTarget& t : by_project.at(run->project))
        if (!t.id.empty()) checked.push_back(t.id);
      freshness.mark_checked(checked, run->started_ms.value_or(run->created_ms));
    }
    out.runs.push_back(*run);
  }
}

}  // namespace

JiraAccount probe_jira(const Config& config) {
  HttpJiraClient jira(config.jira);
  return jira.myself();
}

RefreshOutcome refresh_tickets(CliContext& ctx, const std::vector<RefreshTarget>& targets,
                               int64_t budget_ms, bool show_progress) {
  RefreshOutcome out;
  const Config& config = ctx.config();
  try {
    out.account = probe_jira(config);
  } catch (const std::exception& e) {
    out.jira_reachable = false;
    out.problem = "Jira is unreachable (" + redact(e.what()) + ")";
    return out;
  }
  std::map<std::string, std::vector<RefreshTarget>> by_project;
  for (const RefreshTarget& t : targets) by_project[t.project].push_back(t);
  if (by_project.empty()) return out;

  if (config.bus == BusKind::kInProcess) {
    HttpJiraClient jira(config.jira);
    prometheus::Registry registry;
    EmbeddedPipeline pipeline(config, jira, registry);
    pipeline.start(false);
    run_and_wait(
        ctx, pipeline.scheduler().trigger(), by_project, budget_ms, show_progress,
        [&] { return !pipeline.failure().empty(); }, out);
    pipeline.stop();
    if (!pipeline.failure().empty())
      out.problem +=
          (out.problem.empty() ? "" : "; ") + std::string("pipeline failed: ") + pipeline.failure();
    return out;
  }
  KafkaBus bus(config.kafka);
  auto producer = bus.producer();
  SystemClock clock;
  SqlRunStore runs(ctx.database());
  SyncTrigger trigger(runs, *producer, topic_name(config.kafka.topic_prefix, Topic::kJobs), clock);
  run_and_wait(
      ctx, trigger, by_project, budget_ms, show_progress, [] { return false; }, out);
  return out;
}

}  // namespace jirasync
