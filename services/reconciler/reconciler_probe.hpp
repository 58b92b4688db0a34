#pragma once

#include <cstdint>
#include <map>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include "common/envelope/decision.hpp"

namespace jirasync {

// The reconciler's metrics, registered once, moved by what happened (after
// Redpanda's storage::probe), plus the running totals its progress log
// prints. The metric names are part of the interface: dashboards and
// docs/operations.md use them.
class ReconcilerProbe {
 public:
  explicit ReconcilerProbe(prometheus::Registry& registry);

  // One decision produced, with the conflicts it settled.
  void decided(const Decision& decision);
  // A batch committed: the records it consumed, `dead_lettered` of them dead-lettered.
  void batch_committed(int64_t records, int64_t dead_lettered);
  void batch_failed() { failures_.Increment(); }

  int64_t records() const { return records_total_; }
  int64_t decisions() const { return decisions_total_; }
  int64_t dead_lettered() const { return dead_lettered_total_; }

 private:
  prometheus::Family<prometheus::Counter>& decisions_family_;
  std::map<DecisionKind, prometheus::Counter*> decisions_;
  prometheus::Counter& dead_lettered_;
  prometheus::Family<prometheus::Counter>& conflicts_family_;
  prometheus::Counter& records_;
  prometheus::Counter& failures_;

  int64_t records_total_ = 0;
  int64_t decisions_total_ = 0;
  int64_t dead_lettered_total_ = 0;
};

}  // namespace jirasync
