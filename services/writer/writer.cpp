#include "services/writer/writer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/decision.hpp"

namespace jirasync {

Writer::Writer(const WriterSettings& settings, Bus& bus, DecisionSink& store, Clock& clock,
               prometheus::Registry& registry)
    : store_(store),
      clock_(clock),
      settings_(settings),
      decided_topic_(Topics(settings.topic_prefix).decided),
      deadletter_topic_(Topics(settings.topic_prefix).deadletter),
      producer_(bus.producer()),
      group_(consumer_group(settings.topic_prefix, kRole)),
      consumer_(bus.consumer(group_)),
      probe_(registry) {
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
  return batch_.records() >= settings_.batch_size ||
         clock_.now_ms() - batch_.started_ms() >= settings_.linger_ms;
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
  if (applying_ && batch_due()) {
    // The next batch is full or has lingered: block on the database instead
    // of reading on (or polling with no wait, again and again).
    if (outcome_.valid()) outcome_.wait_for(settings_.poll_timeout);
    return finish_apply(false) || progress;
  }
  auto timeout = settings_.poll_timeout;
  if (!batch_.empty()) {
    const int64_t remaining = batch_.started_ms() + settings_.linger_ms - clock_.now_ms();
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
      producer_->flush(settings_.flush_timeout);
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
  if (settings_.apply_in_background) {
    if (!apply_thread_) apply_thread_ = std::make_unique<ApplyThread>();
    outcome_ = apply_thread_->start(std::move(apply));
  } else {
    outcome_ = std::async(std::launch::deferred, std::move(apply));
  }
}

bool Writer::finish_apply(bool wait) {
  if (!outcome_.valid()) return false;
  if (!wait && settings_.apply_in_background &&
      outcome_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return false;
  }
  DecisionSink::ApplyResult result;
  try {
    result = outcome_.get();  // runs a deferred apply here
  } catch (const std::exception& e) {
    probe_.apply_failed();
    backoff_ms_ = backoff_ms_ == 0 ? settings_.retry_backoff_ms
                                   : std::min(backoff_ms_ * 2, settings_.retry_backoff_max_ms);
    retrying_ = true;
    retry_at_ms_ = clock_.now_ms() + backoff_ms_;
    spdlog::error(
        "writer: applying a batch of {} decisions failed; nothing committed, same batch again in "
        "{} ms: {}",
        applying_->decisions().size(), backoff_ms_, e.what());
    return false;
  }
  probe_.batch_committed(static_cast<double>(clock_.now_ms() - apply_started_ms_) / 1000.0,
                         result.written, result.skipped, applying_->decisions().size(),
                         applying_->dead_letters().size());
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
  if (lag_refreshed_ms_ != 0 && now - lag_refreshed_ms_ < settings_.lag_refresh_ms) return;
  lag_refreshed_ms_ = now;
  try {
    for (const auto& [tp, lag] : consumer_->lag()) {
      if (lag < 0) continue;
      probe_.consumer_lag(tp.topic, tp.partition, lag);
    }
  } catch (const BusError& e) {
    spdlog::debug("writer: consumer lag unavailable: {}", e.what());
  }
}

void Writer::run(const std::atomic<bool>& stop) {
  spdlog::info("writer: consuming {} as group {}, batches of up to {} or {} ms", decided_topic_,
               group_, settings_.batch_size, settings_.linger_ms);
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
