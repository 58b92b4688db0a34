#include "services/reconciler/reconciler_probe.hpp"

namespace jirasync {

namespace {

constexpr DecisionKind kAllKinds[] = {
    DecisionKind::kInsert, DecisionKind::kUpdate,     DecisionKind::kSignificant,
    DecisionKind::kMove,   DecisionKind::kSkip,       DecisionKind::kDelete,
    DecisionKind::kReject, DecisionKind::kSweepChunk, DecisionKind::kSweepEnd};

}  // namespace

ReconcilerProbe::ReconcilerProbe(prometheus::Registry& registry)
    : decisions_family_(prometheus::BuildCounter()
                            .Name("jirasync_reconciler_decisions_total")
                            .Help("Decisions produced to issues.decided, by kind")
                            .Register(registry)),
      dead_lettered_(prometheus::BuildCounter()
                         .Name("jirasync_reconciler_dead_lettered_total")
                         .Help("Records sent to the dead-letter topic")
                         .Register(registry)
                         .Add({})),
      conflicts_family_(prometheus::BuildCounter()
                            .Name("jirasync_reconciler_conflicts_total")
                            .Help("Local edits that met a Jira change, by strategy and outcome")
                            .Register(registry)),
      records_(prometheus::BuildCounter()
                   .Name("jirasync_reconciler_records_total")
                   .Help("Records consumed from issues.raw and committed")
                   .Register(registry)
                   .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("jirasync_reconciler_batch_failures_total")
                    .Help("Batches that failed on the store or the bus and were retried")
                    .Register(registry)
                    .Add({})) {
  for (DecisionKind kind : kAllKinds) {
    decisions_[kind] = &decisions_family_.Add({{"kind", to_string(kind)}});
  }
}

void ReconcilerProbe::decided(const Decision& d) {
  decisions_[d.kind]->Increment();
  ++decisions_total_;
  for (const auto& c : d.conflicts) {
    conflicts_family_.Add({{"strategy", to_string(c.strategy)}, {"outcome", c.outcome}})
        .Increment();
  }
}

void ReconcilerProbe::batch_committed(int64_t records, int64_t dead_lettered) {
  records_.Increment(static_cast<double>(records));
  records_total_ += records;
  dead_lettered_.Increment(static_cast<double>(dead_lettered));
  dead_lettered_total_ += dead_lettered;
}

}  // namespace jirasync
