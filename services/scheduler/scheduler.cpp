#include "services/scheduler/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "common/bus/topics.hpp"
#include "common/store/run_retry.hpp"

namespace jirasync {

Scheduler::Scheduler(SchedulerSettings settings, Bus& bus, RunStore& runs, Clock& clock,
                     prometheus::Registry& registry)
    : settings_(std::move(settings)),
      runs_(runs),
      clock_(clock),
      producer_(bus.producer()),
      trigger_(runs, *producer_, topic_name(settings_.topic_prefix, Topic::kJobs), clock),
      probe_(registry) {
  const int64_t now = clock_.now_ms();
  for (const auto& p : settings_.schedules) {
    for (auto [kind, expr] : {std::pair{JobKind::kIncremental, p.incremental_cron},
                              std::pair{JobKind::kFull, p.full_cron}}) {
      if (expr.empty()) continue;
      auto cron = CronSchedule::parse(expr, settings_.time_zone);
      const int64_t next = cron.next_after(now);
      entries_.push_back({p.project, kind, std::move(cron), next});
    }
  }
}

int Scheduler::tick() {
  return fire_cron() + retry_step() + drain_webhooks();
}

int Scheduler::drain_webhooks() {
  if (!webhooks_) return 0;
  const int64_t now = clock_.now_ms();
  if (now >= next_forget_ms_) {
    webhooks_->forget_old_deliveries();
    next_forget_ms_ = now + 3600 * 1000;
  }
  const int started = webhooks_->drain();
  if (started > 0) probe_.webhook_refreshes_queued(started);
  return started;
}

int Scheduler::fire_cron() {
  const int64_t now = clock_.now_ms();
  int queued = 0;
  for (auto& e : entries_) {
    if (now < e.next_ms) continue;
    const bool started = trigger_.trigger(e.project, e.kind, {}, "cron").started;
    probe_.cron_fired(started);
    if (started) ++queued;
    e.next_ms = e.cron.next_after(now);
  }
  return queued;
}

int Scheduler::retry_step() {
  const int64_t now = clock_.now_ms();
  int queued = 0;
  expire_leases(now);
  for (const auto& run : runs_.runs_due_for_retry(now)) {
    // Only the scheduler whose requeue moved the run sends its job.
    if (!runs_.requeue(run.id, now)) continue;
    if (auto fresh = runs_.get_run(run.id)) {
      spdlog::info("retrying run {} of {} (attempt {}/{})", fresh->id, fresh->project,
                   fresh->attempt, settings_.max_run_attempts);
      trigger_.emit(*fresh);
      probe_.retry_queued();
      ++queued;
    }
  }
  return queued;
}

void Scheduler::expire_leases(int64_t now) {
  // While the broker is away every holder waits for it (slices and jobs sit
  // on its topics, the writer cannot read) and a new attempt could not start
  // either: a lease runs only while the broker answers, from its return.
  if (broker_answering_since_) {
    const std::optional<int64_t> since = broker_answering_since_();
    if (!since || now - *since < settings_.run_lease_ms) return;
  }
  const RunRetryPolicy policy{settings_.max_run_attempts};
  // A run whose holder stopped heartbeating (fetcher killed, job lost) fails
  // this attempt and waits its backoff like any failed attempt: an outage
  // longer than a lease must not use up every attempt at once.
  for (const auto& run : runs_.stale_runs(now, settings_.run_lease_ms)) {
    probe_.lease_expired();
    const std::string reason = lease_expired_reason(run, now);
    spdlog::warn("run {} of {} attempt {}/{}: {}", run.id, run.project, run.attempt,
                 settings_.max_run_attempts, reason);
    runs_.mark_attempt_failed(run.id, reason, now, policy.next_attempt_ms(run.attempt, now));
  }
}

void Scheduler::run(const std::atomic<bool>& stop, bool with_cron) {
  while (!stop.load()) {
    try {
      if (with_cron) {
        tick();
      } else {
        retry_step();
      }
    } catch (const std::exception& e) {
      spdlog::error("scheduler tick failed: {}", e.what());
    }
    // Ticks are cheap; one a second keeps retries and cron prompt.
    for (int i = 0; i < 10 && !stop.load(); ++i) clock_.sleep_ms(100);
  }
}

std::string lease_expired_reason(const SyncRun& run, int64_t now_ms) {
  static const std::string kLease = "lease expired (";
  static const std::string kLast = "; last error: ";
  // The cause the run last recorded (a failed attempt, a writer warning),
  // carried once: not wrapped again by every expiry that follows.
  std::string cause = run.error;
  if (cause.rfind(kLease, 0) == 0) {
    const auto at = cause.find(kLast);
    cause = at == std::string::npos ? "" : cause.substr(at + kLast.size());
  }
  std::string reason =
      kLease + "no heartbeat for " + std::to_string(now_ms - run.heartbeat_ms) + " ms)";
  if (!cause.empty()) reason += kLast + cause;
  return reason;
}

}  // namespace jirasync
