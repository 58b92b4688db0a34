#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/service/sync_trigger.hpp"
#include "common/store/run_store.hpp"
#include "services/scheduler/cron_schedule.hpp"
#include "services/scheduler/scheduler_probe.hpp"
#include "services/scheduler/scheduler_settings.hpp"
#include "services/scheduler/webhook_refreshes.hpp"

namespace jirasync {

// The scheduler role: decides what to sync and when — cron per project,
// retries of failed attempts with backoff, and runs whose lease expired.
class Scheduler {
 public:
  Scheduler(SchedulerSettings settings, Bus& bus, RunStore& runs, Clock& clock,
            prometheus::Registry& registry);

  // One pass over schedules, retries, leases and queued webhook keys.
  // Returns the runs it queued.
  int tick();
  // Retries and leases only: fails attempts whose lease expired and re-queues
  // the runs whose retry is due. Wherever runs run, this must run too (the
  // one-shot CLI commands run it without the cron).
  int retry_step();
  // Ticks until `stop`; without `with_cron` only retry_step().
  void run(const std::atomic<bool>& stop, bool with_cron = true);

  SyncTrigger& trigger() { return trigger_; }
  // From now on tick() also turns queued webhook keys into refresh runs.
  void drain_webhooks_with(WebhookRefreshes& refreshes) { webhooks_ = &refreshes; }
  // Since when the broker has answered without a break, nullopt while it is
  // away. Leases run only while it answers, from its return: without this
  // the broker counts as always answering (the in-process bus).
  using BrokerAnsweringSince = std::function<std::optional<int64_t>()>;
  void watch_broker(BrokerAnsweringSince answering_since) {
    broker_answering_since_ = std::move(answering_since);
  }

 private:
  struct Entry {
    std::string project;
    JobKind kind;
    CronSchedule cron;
    int64_t next_ms;
  };

  int fire_cron();
  int drain_webhooks();
  void expire_leases(int64_t now);

  const SchedulerSettings settings_;
  RunStore& runs_;
  Clock& clock_;
  std::unique_ptr<BusProducer> producer_;
  SyncTrigger trigger_;
  std::vector<Entry> entries_;
  SchedulerProbe probe_;
  WebhookRefreshes* webhooks_ = nullptr;
  BrokerAnsweringSince broker_answering_since_;
  int64_t next_forget_ms_ = 0;
};

// "lease expired (no heartbeat for N ms); last error: <cause>", the cause
// being the last one the run recorded before (without the "lease expired"
// wrappers of earlier expiries).
std::string lease_expired_reason(const SyncRun& run, int64_t now_ms);

}  // namespace jirasync
