#include "services/fetcher/fetcher.hpp"

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/json/payload_error.hpp"
#include "common/service/outage_backoff.hpp"
#include "common/store/run_retry.hpp"
#include "services/fetcher/attempt_failure.hpp"
#include "services/fetcher/earlier_calls_run_store.hpp"
#include "services/fetcher/fetch_run.hpp"
#include "services/fetcher/lease_keeping_producer.hpp"
#include "services/fetcher/metered_jira_client.hpp"

namespace jirasync {

Fetcher::Fetcher(const FetcherSettings& settings, Bus& bus, JiraClient& client, RunStore& runs,
                 RateBucketStore& buckets, Clock& clock, prometheus::Registry& registry,
                 CachedIssueIds* cached_ids, RunSlices* slices, FieldCatalog* field_catalog)
    : settings_(settings),
      client_(client),
      runs_(runs),
      clock_(clock),
      cached_ids_(cached_ids),
      slices_(settings.slices ? slices : nullptr),
      rate_limit_(buckets, clock, "jira", settings.jira.rate_per_s, settings.jira.rate_burst),
      slots_(std::max(1, settings.jira.concurrency)),
      workers_(static_cast<size_t>(std::max(1, settings.jira.concurrency))),
      producer_(bus.producer()),
      group_(consumer_group(settings.topic_prefix, "fetcher")),
      consumer_(bus.consumer(group_)),
      jobs_topic_(topic_name(settings.topic_prefix, Topic::kJobs)),
      raw_topic_(topic_name(settings.topic_prefix, Topic::kIssuesRaw)),
      deadletter_topic_(topic_name(settings.topic_prefix, Topic::kDeadLetter)),
      slice_topic_(topic_name(settings.topic_prefix, Topic::kFetchSlices)),
      probe_(registry) {
  consumer_->subscribe({jobs_topic_});
  if (slices_) {
    slice_pipeline_ = std::make_unique<SlicePipeline>(settings_, bus, client_, runs_, *slices_,
                                                      rate_limit_, slots_, clock_, probe_);
  }
  if (field_catalog) {
    field_list_ = std::make_unique<FieldListRefresh>(*field_catalog, rate_limit_, clock_);
  }
}

Fetcher::~Fetcher() = default;

bool Fetcher::slice_step(const std::atomic<bool>& stop) {
  return slice_pipeline_ && slice_pipeline_->step(stop, std::chrono::milliseconds(200));
}

bool Fetcher::step(const std::atomic<bool>& stop) {
  auto msg = consumer_->poll(std::chrono::milliseconds(200));
  if (!msg) return false;
  handle(*msg, stop);
  // Committed only after the run recorded its outcome: a crash before this
  // point delivers the job again and the run is fetched again.
  consumer_->commit({TopicPartition{msg->topic, msg->partition, msg->offset + 1}});
  return true;
}

void Fetcher::run(const std::atomic<bool>& stop) {
  if (!slice_pipeline_) {
    run_jobs(stop);
    return;
  }
  // Slices beside the jobs: a fetcher busy listing one run still fetches
  // slices (its own run's among them).
  std::thread slices([this, &stop] { slice_pipeline_->run(stop); });
  struct JoinSlices {
    std::thread& t;
    ~JoinSlices() { t.join(); }
  } join{slices};
  run_jobs(stop);
}

void Fetcher::run_jobs(const std::atomic<bool>& stop) {
  OutageBackoff backoff(clock_, stop);
  while (!stop.load()) {
    try {
      step(stop);
      backoff.reset();
    } catch (const FetchInterrupted&) {
      break;
    } catch (const OutageInterrupted&) {
      break;
    } catch (const std::runtime_error& e) {
      // The broker or the database refused what the step needed (a commit, a
      // dead letter): the process stays, waits and polls again; a job whose
      // commit was lost comes again and is skipped as stale.
      const int64_t wait_ms = backoff.record_failure();
      log_outage_retry("fetcher step", e, backoff.failures(), wait_ms);
      if (!backoff.sleep(wait_ms)) break;
    }
  }
}

void Fetcher::handle(const BusMessage& msg, const std::atomic<bool>& stop) {
  SyncJob job;
  try {
    job = decode_sync_job(msg.value);
  } catch (const PayloadError& e) {
    dead_letter(msg, std::string("undecodable sync job: ") + e.what());
    return;
  }
  // The database may be away: the job waits for it, uncommitted.
  OutageBackoff backoff(clock_, stop);
  const auto run = retry_through_outage(backoff, "reading run " + job.run_id,
                                        [&] { return runs_.get_run(job.run_id); });
  if (!run) {
    dead_letter(msg, "sync job for unknown run " + job.run_id);
    return;
  }
  // A job delivered again after its run moved on (finished, its attempt
  // already failed, or retried under a newer attempt) is stale.
  if (run->status == RunStatus::kSuccess || run->status == RunStatus::kFailed ||
      run->status == RunStatus::kRetryWait || job.attempt < run->attempt) {
    spdlog::info("skipping stale job for run {} (status {}, attempt {} < {})", job.run_id,
                 to_string(run->status), job.attempt, run->attempt);
    probe_.job_stale();
    return;
  }
  // Taken: the run is running from now, so an attempt that fails on its
  // first request is timed, and what it asked of Jira is counted.
  retry_through_outage(backoff, "taking run " + job.run_id, [&] {
    runs_.mark_running(job.run_id, clock_.now_ms(), run->expected_total);
  });
  // Slices count their own requests (slice_api_calls) beside the owner's.
  EarlierCallsRunStore progress(runs_, run->stats.api_calls - run->slice_api_calls);
  // This job's requests and rate-limit waits are counted under its project.
  MeteredJiraClient client(client_, probe_, job.project);
  rate_limit_.observe_waits([&](int64_t ms) { probe_.rate_limit_waited(job.project, ms); });
  struct StopObserving {
    SharedRateLimit& limit;
    ~StopObserving() { limit.observe_waits({}); }
  } stop_observing{rate_limit_};
  // Jira's field list, for custom fields by name: on a full sync or a day
  // old (an on-demand refresh is not held up by it).
  if (field_list_ && job.kind != JobKind::kRefresh) {
    field_list_->refresh_if_due(client, job.kind == JobKind::kFull);
  }
  const FetchRun* fetching = nullptr;
  // While the broker is away the fetch waits for it, keeping its lease.
  LeaseKeepingProducer raw_producer(
      *producer_, [&] { progress.heartbeat(job.run_id, clock_.now_ms(), fetching->stats()); },
      clock_, stop);
  FetchContext ctx{settings_.jira,
                   settings_.max_run_attempts,
                   settings_.run_retry_base_ms,
                   client,
                   rate_limit_,
                   raw_producer,
                   raw_topic_,
                   progress,
                   clock_,
                   stop,
                   nullptr,
                   cached_ids_,
                   &workers_};
  ctx.run_slices = slices_;
  ctx.slice_topic = slice_topic_;
  ctx.slots = &slots_;
  FetchRun fetch(job, ctx);
  fetching = &fetch;
  bool fetched = false;
  try {
    fetched = fetch.execute();
  } catch (const FetchInterrupted&) {
    throw;
  } catch (const std::runtime_error& e) {
    // The attempt failed and could not even record that (the database went
    // away mid-run): record it once the database is back, so the run waits
    // for its retry instead of for its lease.
    record_lost_attempt(job, e, backoff);
  }
  probe_.job_done(fetched, fetch.stats().api_calls, static_cast<int64_t>(fetch.emitted()));
  ++jobs_done_;
}

void Fetcher::record_lost_attempt(const SyncJob& job, const std::exception& error,
                                  OutageBackoff& backoff) {
  spdlog::error(
      "run {} ({}) attempt {}: {}; recording the failed attempt once the database answers",
      job.run_id, job.project, job.attempt, error.what());
  retry_through_outage(backoff, "recording the failed attempt of run " + job.run_id, [&] {
    // While we waited the scheduler may have expired the lease and started
    // another attempt: that one is not ours to fail.
    const auto run = runs_.get_run(job.run_id);
    if (!run || run->attempt != job.attempt ||
        (run->status != RunStatus::kRunning && run->status != RunStatus::kQueued)) {
      return;
    }
    const int64_t now = clock_.now_ms();
    const AttemptFailure failure = attempt_failure(
        error, job.attempt, {settings_.max_run_attempts, settings_.run_retry_base_ms}, now);
    runs_.mark_attempt_failed(job.run_id, failure.reason, now, failure.next_attempt_ms);
  });
}

void Fetcher::dead_letter(const BusMessage& msg, const std::string& reason) {
  spdlog::error("dead-lettering {}[{}]@{}: {}", msg.topic, msg.partition, msg.offset, reason);
  probe_.job_dead_lettered();
  producer_->produce(deadletter_topic_, msg.topic, dead_letter_record(msg, reason));
  producer_->flush(std::chrono::seconds(10));
}

}  // namespace jirasync
