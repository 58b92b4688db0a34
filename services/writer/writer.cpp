#include "services/writer/writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/decision.hpp"

namespace jirasync {

namespace {

// validate_config() checks these too, under the same keys; a Writer built from
// an unvalidated Config (tests, embedded callers) must still refuse them.
int checked_batch_size(const Config& config) {
  if (config.writer_batch_size < 1) {
    throw ConfigError("writer.batch_size",
                      "must be at least 1, got " + std::to_string(config.writer_batch_size));
  }
  return config.writer_batch_size;
}

int64_t checked_linger(const Config& config) {
  if (config.writer_linger_ms < 0) {
    throw ConfigError("writer.linger_ms",
                      "must not be negative, got " + std::to_string(config.writer_linger_ms));
  }
  return config.writer_linger_ms;
}

}  // namespace

Writer::Writer(const Config& config, Bus& bus, DecisionSink& store, Clock& clock,
               prometheus::Registry& registry, WriterOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      batch_size_(checked_batch_size(config)),
      linger_ms_(checked_linger(config)),
      decided_topic_(Topics(config.kafka.topic_prefix).decided),
      deadletter_topic_(Topics(config.kafka.topic_prefix).deadletter),
      producer_(bus.producer()),
      group_(consumer_group(config.kafka.topic_prefix, kRole)),
      consumer_(bus.consumer(group_)),
      applied_(prometheus::BuildCounter()
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
               .Register(registry)) {
  consumer_->subscribe({decided_topic_},
                       [this](std::vector<TopicPartition>& partitions) { on_assign(partitions); });
}

Writer::~Writer() = default;

void Writer::on_assign(std::vector<TopicPartition>& partitions) {
  if (applying_) {
    // The store is busy with it; its outcome decides the offsets read below.
    // Positions restart there, so the batch is not retried and Kafka's offsets
    // are left alone whatever happened.
    if (outcome_.valid()) outcome_.wait();
    finish_apply(false);
    applying_.reset();
    retrying_ = false;
    backoff_ms_ = 0;
  }
  if (!batch_.empty()) {
    // Positions restart at the database's offsets, so these records come again.
    spdlog::info("writer: reassigned; {} unapplied records will be read again", batch_.records());
    batch_.clear();
  }
  std::vector<StoredOffset> stored;
  try {
    stored = store_.stored_offsets(group_);
  } catch (const std::exception& e) {
    // Kafka's committed offsets never run ahead of the database's (they are
    // committed after it), so starting there repeats work but loses none.
    spdlog::error("writer: cannot read stored offsets, starting from the group's Kafka offsets: {}",
                  e.what());
    return;
  }
  for (auto& p : partitions) {
    auto it = std::find_if(stored.begin(), stored.end(), [&](const StoredOffset& s) {
      return s.topic == p.topic && s.partition == p.partition;
    });
    if (it == stored.end()) continue;
    p.offset = it->next_offset;
    spdlog::info("writer: {}[{}] starts at stored offset {}", p.topic, p.partition, p.offset);
  }
}

void Writer::consume(const BusMessage& msg) {
  try {
    batch_.add(msg, decode_decision(msg.value), clock_.now_ms());
  } catch (const std::exception& e) {
    spdlog::warn("writer: dead-lettering {}[{}]@{} key {}: {}", msg.topic, msg.partition,
                 msg.offset, msg.key, e.what());
    batch_.add_dead_letter(msg, e.what(), clock_.now_ms());
  }
}

bool Writer::batch_due() const {
  if (batch_.empty()) return false;
  return batch_.records() >= batch_size_ || clock_.now_ms() - batch_.started_ms() >= linger_ms_;
}

bool Writer::step() {
  bool progress = finish_apply(false);
  if (retrying_) {
    // Nothing more is read while the database refuses the batch.
    if (clock_.now_ms() < retry_at_ms_) return progress;
    start_apply();
    return finish_apply(false) || progress;
  }
  if (!applying_ && batch_due()) return hand_over(false) || progress;
  if (applying_ && batch_.records() >= batch_size_) {
    // The next batch is full: wait for the database instead of reading on.
    if (outcome_.valid()) outcome_.wait_for(options_.poll_timeout);
    return finish_apply(false) || progress;
  }
  auto timeout = options_.poll_timeout;
  if (!batch_.empty()) {
    const int64_t remaining = batch_.started_ms() + linger_ms_ - clock_.now_ms();
    timeout = std::min(timeout, std::chrono::milliseconds(std::max<int64_t>(remaining, 0)));
  }
  if (outcome_.valid()) {
    // Come back soon to commit the batch being applied.
    timeout = std::min(timeout, std::chrono::milliseconds(5));
  }
  auto msg = consumer_->poll(timeout);
  if (msg) consume(*msg);
  refresh_lag();
  if (!applying_ && batch_due()) return hand_over(false) || progress;
  return progress || msg.has_value();
}

bool Writer::hand_over(bool wait) {
  applying_ = std::move(batch_);
  batch_.clear();
  start_apply();
  return finish_apply(wait);
}

void Writer::start_apply() {
  retrying_ = false;
  apply_started_ms_ = clock_.now_ms();
  try {
    if (!dead_letters_sent_ && !applying_->dead_letters().empty()) {
      // Acknowledged before their offsets are stored, so no bad record is lost.
      for (const auto& dl : applying_->dead_letters()) {
        producer_->produce(deadletter_topic_, dl.source.topic,
                           dead_letter_record(dl.source, dl.reason));
      }
      producer_->flush(options_.flush_timeout);
    }
    dead_letters_sent_ = true;
  } catch (...) {
    std::promise<DecisionSink::ApplyResult> failed;
    failed.set_exception(std::current_exception());
    outcome_ = failed.get_future();
    return;
  }
  const PendingBatch& batch = *applying_;
  auto apply = [this, &batch, started = apply_started_ms_] {
    return store_.apply(batch.decisions(), group_, batch.stored_offsets(), started);
  };
  outcome_ = std::async(options_.apply_in_background ? std::launch::async : std::launch::deferred,
                        std::move(apply));
}

bool Writer::finish_apply(bool wait) {
  if (!outcome_.valid()) return false;
  if (!wait && options_.apply_in_background &&
      outcome_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return false;
  }
  DecisionSink::ApplyResult result;
  try {
    result = outcome_.get();  // runs a deferred apply here
  } catch (const std::exception& e) {
    failures_.Increment();
    backoff_ms_ = backoff_ms_ == 0 ? options_.retry_backoff_ms
                                   : std::min(backoff_ms_ * 2, options_.retry_backoff_max_ms);
    retrying_ = true;
    retry_at_ms_ = clock_.now_ms() + backoff_ms_;
    spdlog::error(
        "writer: applying a batch of {} decisions failed; nothing committed, same batch again in "
        "{} ms: {}",
        applying_->decisions().size(), backoff_ms_, e.what());
    return false;
  }
  batch_seconds_.Observe(static_cast<double>(clock_.now_ms() - apply_started_ms_) / 1000.0);
  applied_.Increment(static_cast<double>(result.written));
  skipped_.Increment(static_cast<double>(result.skipped));
  batches_.Increment();
  decisions_.Increment(static_cast<double>(applying_->decisions().size()));
  dead_lettered_.Increment(static_cast<double>(applying_->dead_letters().size()));
  try {
    consumer_->commit(applying_->commit_offsets());
  } catch (const BusError& e) {
    // The database holds the truth; Kafka's offsets are only for outside monitors.
    spdlog::warn("writer: Kafka offset commit failed (database offsets are stored): {}", e.what());
  }
  applying_.reset();
  dead_letters_sent_ = false;
  backoff_ms_ = 0;
  return true;
}

bool Writer::drain() {
  if (outcome_.valid() && !finish_apply(true)) return false;
  if (retrying_) {
    start_apply();
    if (!finish_apply(true)) return false;
  }
  return batch_.empty() || hand_over(true);
}

void Writer::refresh_lag() {
  const int64_t now = clock_.now_ms();
  if (lag_refreshed_ms_ != 0 && now - lag_refreshed_ms_ < options_.lag_refresh_ms) return;
  lag_refreshed_ms_ = now;
  try {
    for (const auto& [tp, lag] : consumer_->lag()) {
      if (lag < 0) continue;
      lag_.Add({{"topic", tp.topic}, {"partition", std::to_string(tp.partition)}})
          .Set(static_cast<double>(lag));
    }
  } catch (const BusError& e) {
    spdlog::debug("writer: consumer lag unavailable: {}", e.what());
  }
}

void Writer::run(const std::atomic<bool>& stop) {
  spdlog::info("writer: consuming {} as group {}, batches of up to {} or {} ms", decided_topic_,
               group_, batch_size_, linger_ms_);
  while (!stop.load()) {
    if (!step() && retrying_) {
      // Waiting out a retry backoff in short slices so a stop is seen promptly.
      clock_.sleep_ms(std::clamp<int64_t>(retry_at_ms_ - clock_.now_ms(), 0, 100));
    }
  }
  if (!drain()) {
    spdlog::warn("writer: stopping with {} unapplied records; they are read again on restart",
                 batch_.records());
  }
  consumer_->close();
  spdlog::info("writer: stopped");
}

}  // namespace jirasync
