#include "services/fetcher/slice_pipeline.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/json/payload_error.hpp"
#include "common/service/outage_backoff.hpp"
#include "services/fetcher/attempt_failure.hpp"
#include "services/fetcher/fetch_run.hpp"
#include "services/fetcher/fetch_slice.hpp"
#include "services/fetcher/lease_keeping_producer.hpp"
#include "services/fetcher/metered_jira_client.hpp"

namespace jirasync {
namespace {

std::string fetcher_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

SlicePipeline::SlicePipeline(const FetcherSettings& settings, Bus& bus, JiraClient& client,
                             RunStore& runs, RunSlices& slices, SharedRateLimit& rate_limit,
                             InFlightSlots& slots, Clock& clock, FetcherProbe& probe)
    : settings_(settings),
      bus_(bus),
      client_(client),
      runs_(runs),
      slices_(slices),
      rate_limit_(rate_limit),
      slots_(slots),
      clock_(clock),
      probe_(probe),
      raw_topic_(topic_name(settings.topic_prefix, Topic::kIssuesRaw)),
      slice_topic_(topic_name(settings.topic_prefix, Topic::kFetchSlices)),
      deadletter_topic_(topic_name(settings.topic_prefix, Topic::kDeadLetter)),
      name_(fetcher_name()),
      producer_(bus.producer()),
      consumer_(bus.consumer(consumer_group(settings.topic_prefix, "fetcher.slices"))),
      window_(static_cast<size_t>(std::max(1, settings.jira.concurrency))),
      workers_(window_) {
  consumer_->subscribe({slice_topic_});
}

SlicePipeline::~SlicePipeline() {
  // Nothing may still run a slice that refers to this object.
  for (auto& p : pending_) {
    if (p.outcome.valid()) p.outcome.wait();
  }
}

bool SlicePipeline::step(const std::atomic<bool>& stop, std::chrono::milliseconds wait) {
  bool polled = false;
  bool full = false;
  // Fill the window: a slice whose fetch returned frees its place even while
  // an older one still holds the front (its offset waits for that one).
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      full = running_ >= window_ || pending_.size() >= 4 * window_;
      if (full) break;
    }
    auto msg = consumer_->poll(pending_.empty() ? wait : std::chrono::milliseconds(0));
    if (!msg) break;
    {
      std::lock_guard lock(mutex_);
      ++running_;
    }
    BusMessage taken = std::move(*msg);
    auto outcome = workers_.submit([this, taken, &stop] {
      struct Finished {
        SlicePipeline& p;
        ~Finished() {
          std::lock_guard lock(p.mutex_);
          --p.running_;
          ++p.finished_count_;
          p.finished_.notify_all();
        }
      } finished{*this};
      return handle(taken, stop);
    });
    pending_.push_back({std::move(taken), std::move(outcome)});
    polled = true;
  }
  if (pending_.empty()) return polled;
  // Nothing more to start: wait (briefly) for a fetch to return, then commit
  // what finished, in order.
  if (full || !polled) {
    std::unique_lock lock(mutex_);
    finished_.wait_for(lock, std::chrono::milliseconds(50),
                       [this] { return finished_count_ != finished_seen_; });
    finished_seen_ = finished_count_;
  }
  if (!commit_finished(/*wait_for_front=*/false)) throw FetchInterrupted();
  return true;
}

bool SlicePipeline::commit_finished(bool wait_for_front) {
  while (!pending_.empty()) {
    Pending& front = pending_.front();
    if (!front.outcome.valid()) return false;
    if (!wait_for_front &&
        front.outcome.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      return true;
    }
    Outcome outcome = Outcome::kInterrupted;
    try {
      outcome = front.outcome.get();
    } catch (const std::exception& e) {
      // handle() lets only bugs escape: the slice comes again rather than vanish.
      spdlog::error("fetcher slices: {}[{}]@{}: {}", front.msg.topic, front.msg.partition,
                    front.msg.offset, e.what());
    }
    if (outcome == Outcome::kInterrupted) return false;
    consumer_->commit({TopicPartition{front.msg.topic, front.msg.partition, front.msg.offset + 1}});
    pending_.pop_front();
  }
  return true;
}

void SlicePipeline::run(const std::atomic<bool>& stop) {
  OutageBackoff backoff(clock_, stop);
  while (!stop.load()) {
    try {
      step(stop, std::chrono::milliseconds(200));
      backoff.reset();
    } catch (const FetchInterrupted&) {
      if (stop.load()) break;
      drain();
      resubscribe();
    } catch (const std::runtime_error& e) {
      // The broker refused a commit (e.g. a rebalance took the partition):
      // the slice comes again, to this fetcher or another, and is skipped
      // once recorded.
      const int64_t wait_ms = backoff.record_failure();
      log_outage_retry("fetcher slices", e, backoff.failures(), wait_ms);
      if (!backoff.sleep(wait_ms)) break;
    }
  }
  drain();
}

void SlicePipeline::drain() {
  // A stop interrupts the requests of the slices in flight.
  for (auto& p : pending_) {
    if (p.outcome.valid()) p.outcome.wait();
  }
  try {
    commit_finished(/*wait_for_front=*/true);
  } catch (const std::exception& e) {
    spdlog::warn("fetcher slices: commit failed ({}); those slices come again", e.what());
  }
  pending_.clear();
}

void SlicePipeline::resubscribe() {
  spdlog::warn("fetcher slices: a slice was interrupted; rejoining the group so it comes again");
  consumer_->close();
  consumer_ = bus_.consumer(consumer_group(settings_.topic_prefix, "fetcher.slices"));
  consumer_->subscribe({slice_topic_});
}

SlicePipeline::Outcome SlicePipeline::handle(const BusMessage& msg, const std::atomic<bool>& stop) {
  FetchSlice slice;
  try {
    slice = decode_fetch_slice(msg.value);
  } catch (const PayloadError& e) {
    const std::string reason = std::string("undecodable fetch slice: ") + e.what();
    spdlog::error("dead-lettering {}[{}]@{}: {}", msg.topic, msg.partition, msg.offset, reason);
    OutageBackoff backoff(clock_, stop);
    try {
      retry_through_outage(backoff, "dead-lettering a slice", [&] {
        producer_->produce(deadletter_topic_, msg.topic, dead_letter_record(msg, reason));
        producer_->flush(std::chrono::seconds(10));
      });
    } catch (const OutageInterrupted&) {
      return Outcome::kInterrupted;
    }
    probe_.slice_done("dead_lettered");
    return Outcome::kCommit;
  }
  try {
    return fetch(slice, stop);
  } catch (const OutageInterrupted&) {
    return Outcome::kInterrupted;
  }
}

SlicePipeline::Outcome SlicePipeline::fetch(const FetchSlice& slice,
                                            const std::atomic<bool>& stop) {
  OutageBackoff backoff(clock_, stop);
  const std::string what = "slice " + std::to_string(slice.seq) + " of run " + slice.run_id;
  if (!retry_through_outage(backoff, "reading " + what, [&] {
        return slices_.wanted(slice.run_id, slice.attempt, slice.listing, slice.seq);
      })) {
    // Its run finished, failed or moved to another attempt or listing, or
    // another fetcher recorded it already.
    spdlog::debug("skipping {}: not wanted any more", what);
    probe_.slice_done("skipped");
    return Outcome::kCommit;
  }
  SyncJob job;
  job.run_id = slice.run_id;
  job.project = slice.project;
  job.kind = JobKind::kFull;
  job.attempt = slice.attempt;
  MeteredJiraClient client(client_, probe_, slice.project);
  FetchContext ctx{settings_.jira,
                   settings_.max_run_attempts,
                   settings_.run_retry_base_ms,
                   client,
                   rate_limit_,
                   *producer_,
                   raw_topic_,
                   runs_,
                   clock_,
                   stop,
                   nullptr,
                   nullptr,
                   nullptr};
  ctx.slots = &slots_;
  FetchRun run(job, ctx);
  // The workers share one producer, and a refused record fails whichever
  // flush sees it first: another slice's, perhaps, while ours succeeds.
  const int64_t refused_before = producer_->refused_records();
  SliceOutcome outcome;
  try {
    outcome = run.fetch_slice(slice);
  } catch (const FetchInterrupted&) {
    return Outcome::kInterrupted;
  } catch (const BusError& e) {
    // The broker, not Jira: not the run's failure. Delivered again later.
    spdlog::warn("{}: {}; it will be fetched again", what, e.what());
    return Outcome::kInterrupted;
  } catch (const std::exception& e) {
    fail_attempt(slice, e, stop);
    probe_.slice_done("failed", run.stats().api_calls, run.emitted());
    return Outcome::kCommit;
  }
  outcome.fetched_by = name_;
  // Commit after emit: acknowledged by the broker before the slice counts.
  // Waited for a second at a time, keeping the run's lease meanwhile (the
  // broker may be away for longer than a lease), so a stop during a broker
  // outage is obeyed at once; either way the slice is not committed and comes
  // again. A record the broker refused for good fails the flush, or another
  // slice's: fetched again.
  LeaseKeepingProducer acknowledged(
      *producer_, [&] { keep_lease(slice.run_id); }, clock_, stop);
  try {
    acknowledged.flush(LeaseKeepingProducer::kRound);
  } catch (const FetchInterrupted&) {
    spdlog::info("{}: stopped before the broker acknowledged it; it will come again", what);
    return Outcome::kInterrupted;
  } catch (const BusError& e) {
    spdlog::warn("{}: {}; it will be fetched again", what, e.what());
    return Outcome::kInterrupted;
  }
  if (const int64_t refused = producer_->refused_records() - refused_before; refused > 0) {
    spdlog::warn(
        "{}: the broker refused {} record(s) while it was in flight, perhaps its own; "
        "it will be fetched again",
        what, refused);
    return Outcome::kInterrupted;
  }
  retry_through_outage(backoff, "recording " + what, [&] {
    slices_.complete(slice.run_id, slice.listing, slice.seq, outcome, clock_.now_ms());
  });
  probe_.slice_done("fetched", outcome.api_calls, outcome.emitted);
  return Outcome::kCommit;
}

void SlicePipeline::keep_lease(const std::string& run_id) {
  try {
    slices_.touch(run_id, clock_.now_ms());
  } catch (const std::runtime_error& e) {
    // The database is away too: the slice still waits for the broker.
    spdlog::debug("keeping the lease of run {}: {}", run_id, e.what());
  }
}

void SlicePipeline::fail_attempt(const FetchSlice& slice, const std::exception& error,
                                 const std::atomic<bool>& stop) {
  OutageBackoff backoff(clock_, stop);
  retry_through_outage(backoff, "failing run " + slice.run_id, [&] {
    // Only the attempt and listing the slice belongs to: a newer one is not ours to fail.
    if (!slices_.wanted(slice.run_id, slice.attempt, slice.listing, slice.seq)) return;
    const int64_t now = clock_.now_ms();
    const AttemptFailure failure = attempt_failure(
        error, slice.attempt, {settings_.max_run_attempts, settings_.run_retry_base_ms}, now);
    const std::string reason = "slice " + std::to_string(slice.seq) + ": " + failure.reason;
    spdlog::error("run {} ({}) attempt {}/{} failed: {}", slice.run_id, slice.project,
                  slice.attempt, settings_.max_run_attempts, reason);
    runs_.mark_attempt_failed(slice.run_id, reason, now, failure.next_attempt_ms);
  });
}

}  // namespace jirasync
