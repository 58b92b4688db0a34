#pragma once

#include <cstdint>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace jirasync {

// The fetcher's metrics, registered once, moved by what happened (after
// Redpanda's storage::probe). The names are part of the interface: dashboards
// and docs/operations.md use them.
class FetcherProbe {
 public:
  explicit FetcherProbe(prometheus::Registry& registry);

  // A job ran: whether its fetch completed, the requests it sent (retries
  // included) and the records it put on issues.raw.
  void job_done(bool fetched, int64_t api_calls, int64_t emitted);
  // A job delivered again after its run moved on.
  void job_stale();
  void job_dead_lettered();

 private:
  prometheus::Family<prometheus::Counter>& jobs_;
  prometheus::Counter& api_calls_;
  prometheus::Counter& emitted_;
};

}  // namespace jirasync
