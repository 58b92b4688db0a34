#include "services/scheduler/scheduler.hpp"

#include <spdlog/spdlog.h>

#include "common/bus/topics.hpp"

namespace jirasync {

Scheduler::Scheduler(const Config& config, Bus& bus, RunStore& runs, Clock& clock,
                     prometheus::Registry& registry)
    : config_(config),
      runs_(runs),
      clock_(clock),
      producer_(bus.producer()),
      trigger_(runs, *producer_, topic_name(config.kafka.topic_prefix, Topic::kJobs), clock),
      events_(prometheus::BuildCounter()
                  .Name("jirasync_scheduler_events_total")
                  .Help("Runs queued by cron or retry, cron triggers refused by the lease, "
                        "attempts failed by an expired lease")
                  .Register(registry)) {
  const int64_t now = clock_.now_ms();
  for (const auto& p : config_.projects) {
    for (auto [kind, expr] : {std::pair{JobKind::kIncremental, p.incremental_cron},
                              std::pair{JobKind::kFull, p.full_cron}}) {
      if (expr.empty()) continue;
      auto cron = CronSchedule::parse(expr, config_.schedule_time_zone);
      const int64_t next = cron.next_after(now);
      entries_.push_back({p.key, kind, std::move(cron), next});
    }
  }
}

int Scheduler::tick() {
  const int64_t now = clock_.now_ms();
  int queued = 0;
  for (auto& e : entries_) {
    if (now < e.next_ms) continue;
    const bool started = trigger_.trigger(e.project, e.kind, {}, "cron").started;
    events_.Add({{"event", started ? "cron_queued" : "cron_busy"}}).Increment();
    if (started) ++queued;
    e.next_ms = e.cron.next_after(now);
  }
  // A run whose holder stopped heartbeating (fetcher killed, job lost) fails
  // this attempt, so the retry below picks it up instead of blocking the project.
  for (const auto& run : runs_.stale_runs(now, config_.run_lease_ms)) {
    std::optional<int64_t> next;
    if (run.attempt < config_.max_run_attempts) next = now;
    events_.Add({{"event", "lease_expired"}}).Increment();
    runs_.mark_attempt_failed(
        run.id, "lease expired: no heartbeat for " + std::to_string(now - run.heartbeat_ms) + " ms",
        now, next);
  }
  for (const auto& run : runs_.runs_due_for_retry(now)) {
    runs_.requeue(run.id, now);
    if (auto fresh = runs_.get_run(run.id)) {
      spdlog::info("retrying run {} of {} (attempt {}/{})", fresh->id, fresh->project,
                   fresh->attempt, config_.max_run_attempts);
      trigger_.emit(*fresh);
      events_.Add({{"event", "retry_queued"}}).Increment();
      ++queued;
    }
  }
  return queued;
}

void Scheduler::run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    try {
      tick();
    } catch (const std::exception& e) {
      spdlog::error("scheduler tick failed: {}", e.what());
    }
    // Ticks are cheap; one a second keeps retries and cron prompt.
    for (int i = 0; i < 10 && !stop.load(); ++i) clock_.sleep_ms(100);
  }
}

}  // namespace jirasync
