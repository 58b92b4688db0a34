#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include <prometheus/registry.h>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/store/decision_sink.hpp"
#include "services/writer/apply_thread.hpp"
#include "services/writer/pending_batch.hpp"
#include "services/writer/writer_probe.hpp"
#include "services/writer/writer_settings.hpp"

namespace jirasync {

// The writer role: the only writer of issue rows. Accumulates decisions from
// `issues.decided` until the batch is full or has lingered, then applies the
// batch and the consumed offsets in ONE database transaction
// (DecisionSink::apply); only after that commits the same offsets to Kafka, for
// outside lag monitors. On every assignment it seeks to the offsets stored in
// the database, so a crash at any point neither loses nor repeats an effect.
// At most one batch is being applied at a time, and batches apply in the order
// they were read: the next is only handed over once the previous committed.
class Writer {
 public:
  // The consumer group is "<topic prefix>writer" (consumer_group()).
  static constexpr const char* kRole = "writer";
  const std::string& group() const { return group_; }

  Writer(const WriterSettings& settings, Bus& bus, DecisionSink& store, Clock& clock,
         prometheus::Registry& registry);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // One unit of work: finish a batch whose apply ended, retry a failed batch
  // once its backoff is over, poll one record (unless the next batch is full
  // already), and hand the batch over if it is full or has lingered. Returns
  // true when a record was consumed or a batch committed.
  bool step();
  // Applies what is pending now, ignoring batch size, linger and backoff (at
  // shutdown). Returns true when nothing is left unapplied.
  bool drain();
  // Runs steps until `stop` is set, then drains and closes the consumer.
  void run(const std::atomic<bool>& stop);

  // Records read but not yet committed: the batch being applied and the next.
  int pending_records() const { return batch_.records() + (applying_ ? applying_->records() : 0); }

 private:
  void on_assign(std::vector<TopicPartition>& partitions);
  void consume(const BusMessage& msg);
  bool batch_due() const;
  // Makes the batch read so far the applying one and starts it; true when it
  // committed (`wait` blocks for that).
  bool hand_over(bool wait);
  // Sends the applying batch's dead letters, then applies it (in the
  // background or right here).
  void start_apply();
  // Handles the outcome of the apply once it is there; `wait` blocks for it.
  // Returns true when a batch committed.
  bool finish_apply(bool wait);
  void refresh_lag();

  DecisionSink& store_;
  Clock& clock_;
  WriterSettings settings_;
  std::string decided_topic_;
  std::string deadletter_topic_;
  std::unique_ptr<BusProducer> producer_;
  std::string group_;
  std::unique_ptr<BusConsumer> consumer_;

  PendingBatch batch_;                              // being read
  std::optional<PendingBatch> applying_;            // handed to the store; retried until it commits
  std::future<DecisionSink::ApplyResult> outcome_;  // valid while an apply runs
  std::unique_ptr<ApplyThread> apply_thread_;       // with apply_in_background
  int64_t apply_started_ms_ = 0;
  bool dead_letters_sent_ = false;  // the applying batch's dead letters are acknowledged
  bool retrying_ = false;
  int64_t retry_at_ms_ = 0;
  int64_t backoff_ms_ = 0;
  int64_t lag_refreshed_ms_ = 0;

  WriterProbe probe_;
};

}  // namespace jirasync
