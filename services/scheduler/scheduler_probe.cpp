#include "services/scheduler/scheduler_probe.hpp"

namespace jirasync {

SchedulerProbe::SchedulerProbe(prometheus::Registry& registry)
    : events_(prometheus::BuildCounter()
                  .Name("jirasync_scheduler_events_total")
                  .Help("Runs queued by cron, retry or webhook, cron triggers refused by the "
                        "lease, attempts failed by an expired lease")
                  .Register(registry)) {}

void SchedulerProbe::count(const char* event, double n) {
  events_.Add({{"event", event}}).Increment(n);
}

void SchedulerProbe::webhook_refreshes_queued(int runs) {
  count("webhook_refresh_queued", runs);
}

void SchedulerProbe::cron_fired(bool queued) {
  count(queued ? "cron_queued" : "cron_busy");
}

void SchedulerProbe::lease_expired() {
  count("lease_expired");
}

void SchedulerProbe::retry_queued() {
  count("retry_queued");
}

}  // namespace jirasync
