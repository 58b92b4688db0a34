#include "services/writer/writer_probe.hpp"

namespace jirasync {

WriterProbe::WriterProbe(prometheus::Registry& registry)
    : applied_(prometheus::BuildCounter()
                   .Name("jirasync_writer_applied_total")
                   .Help("Ticket rows inserted or changed")
                   .Register(registry)
                   .Add({})),
      skipped_(prometheus::BuildCounter()
                   .Name("jirasync_writer_skipped_total")
                   .Help("Decisions that wrote nothing (unchanged, older or already applied)")
                   .Register(registry)
                   .Add({})),
      decisions_(prometheus::BuildCounter()
                     .Name("jirasync_writer_decisions_total")
                     .Help("Decisions applied in committed batches")
                     .Register(registry)
                     .Add({})),
      batches_(prometheus::BuildCounter()
                   .Name("jirasync_writer_batches_total")
                   .Help("Batches committed to the database")
                   .Register(registry)
                   .Add({})),
      dead_lettered_(prometheus::BuildCounter()
                         .Name("jirasync_writer_dead_lettered_total")
                         .Help("Undecodable decisions sent to the dead-letter topic")
                         .Register(registry)
                         .Add({})),
      failures_(prometheus::BuildCounter()
                    .Name("jirasync_writer_apply_failures_total")
                    .Help("Batch applications that failed and were retried")
                    .Register(registry)
                    .Add({})),
      batch_seconds_(
          prometheus::BuildHistogram()
              .Name("jirasync_writer_batch_seconds")
              .Help("Time to apply one batch in the database")
              .Register(registry)
              .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                               0.25, 0.5, 1, 2.5, 5, 10})),
      lag_(prometheus::BuildGauge()
               .Name("jirasync_writer_consumer_lag")
               .Help("Records in issues.decided not yet consumed, per partition")
               .Register(registry)) {}

void WriterProbe::batch_committed(double seconds, int64_t written, int64_t skipped,
                                  size_t decisions, size_t dead_letters) {
  batch_seconds_.Observe(seconds);
  applied_.Increment(static_cast<double>(written));
  skipped_.Increment(static_cast<double>(skipped));
  batches_.Increment();
  decisions_.Increment(static_cast<double>(decisions));
  dead_lettered_.Increment(static_cast<double>(dead_letters));
}

void WriterProbe::consumer_lag(const std::string& topic, int32_t partition, int64_t lag) {
  lag_.Add({{"topic", topic}, {"partition", std::to_string(partition)}})
      .Set(static_cast<double>(lag));
}

}  // namespace jirasync
