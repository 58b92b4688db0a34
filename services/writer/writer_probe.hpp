#pragma once

#include <cstdint>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace jirasync {

// The writer's metrics, registered once, moved by what happened (after
// Redpanda's storage::probe). The names are part of the interface: dashboards
// and docs/operations.md use them.
class WriterProbe {
 public:
  explicit WriterProbe(prometheus::Registry& registry);

  // A batch committed: how long its apply took, the rows it wrote, the
  // decisions that wrote nothing, and the records it consumed.
  void batch_committed(double seconds, int64_t written, int64_t skipped, size_t decisions,
                       size_t dead_letters);
  void apply_failed() { failures_.Increment(); }
  void consumer_lag(const std::string& topic, int32_t partition, int64_t lag);

 private:
  prometheus::Counter& applied_;
  prometheus::Counter& skipped_;
  prometheus::Counter& decisions_;
  prometheus::Counter& batches_;
  prometheus::Counter& dead_lettered_;
  prometheus::Counter& failures_;
  prometheus::Histogram& batch_seconds_;
  prometheus::Family<prometheus::Gauge>& lag_;
};

}  // namespace jirasync
