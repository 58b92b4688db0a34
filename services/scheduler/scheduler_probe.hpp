#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace jirasync {

// The scheduler's metrics, registered once, moved by what happened (after
// Redpanda's storage::probe). The names are part of the interface: dashboards
// and docs/operations.md use them.
class SchedulerProbe {
 public:
  explicit SchedulerProbe(prometheus::Registry& registry);

  void webhook_refreshes_queued(int runs);
  // A cron entry came due: its run was queued, or the project was busy.
  void cron_fired(bool queued);
  void lease_expired();
  void retry_queued();

 private:
  void count(const char* event, double n = 1);
  prometheus::Family<prometheus::Counter>& events_;
};

}  // namespace jirasync
