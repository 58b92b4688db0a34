#include "common/service/sync_trigger.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <random>

namespace jirasync {

std::string new_run_id(Clock& clock) {
  // Time-ordered prefix so run ids sort by creation; random suffix for uniqueness
  // across scheduler processes.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[40];
  std::snprintf(buf, sizeof buf, "r%011llx-%08llx", static_cast<unsigned long long>(clock.now_ms()),
                static_cast<unsigned long long>(rng() & 0xffffffffULL));
  return buf;
}

SyncTrigger::SyncTrigger(RunStore& runs, BusProducer& producer, std::string jobs_topic,
                         Clock& clock)
    : runs_(runs), producer_(producer), jobs_topic_(std::move(jobs_topic)), clock_(clock) {}

SyncTrigger::Result SyncTrigger::trigger(const std::string& project, JobKind kind,
                                         const std::vector<std::string>& keys,
                                         const std::string& why) {
  SyncRun run;
  run.id = new_run_id(clock_);
  run.project = project;
  run.kind = kind;
  run.keys = keys;
  run.trigger = why;
  run.status = RunStatus::kQueued;
  run.created_ms = clock_.now_ms();
  run.heartbeat_ms = run.created_ms;
  run.since_ms = kind == JobKind::kRefetch ? 0 : runs_.cursor_ms(project);
  auto created = runs_.create_run(run);
  if (!created.created) {
    spdlog::info("{} sync of {} not started: run {} is already {}", why, project, created.run.id,
                 to_string(created.run.status));
    return {created.run, false};
  }
  emit(created.run);
  spdlog::info("{} {} sync of {} queued as run {}", why, to_string(kind), project, created.run.id);
  return {created.run, true};
}

void SyncTrigger::emit(const SyncRun& run) {
  SyncJob job;
  job.run_id = run.id;
  job.project = run.project;
  job.kind = run.kind;
  job.keys = run.keys;
  job.since_ms = run.since_ms;
  job.attempt = run.attempt;
  job.requested_ms = clock_.now_ms();
  producer_.produce(jobs_topic_, run.project, encode(job));
  producer_.flush(std::chrono::seconds(30));
}

}  // namespace jirasync
