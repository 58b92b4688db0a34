#include "services/fetcher/fetcher.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/bus/dead_letter.hpp"
#include "common/bus/topics.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/json/payload_error.hpp"
#include "common/store/run_retry.hpp"
#include "services/fetcher/earlier_calls_run_store.hpp"
#include "services/fetcher/fetch_run.hpp"

namespace jirasync {

Fetcher::Fetcher(const Config& config, Bus& bus, JiraClient& client, RunStore& runs,
                 RateBucketStore& buckets, Clock& clock, prometheus::Registry& registry,
                 CachedIssueIds* cached_ids)
    : config_(config),
      client_(client),
      runs_(runs),
      clock_(clock),
      cached_ids_(cached_ids),
      rate_limit_(buckets, clock, "jira", config.jira.rate_per_s, config.jira.rate_burst),
      workers_(static_cast<size_t>(std::max(1, config.jira.concurrency))),
      producer_(bus.producer()),
      group_(consumer_group(config.kafka.topic_prefix, "fetcher")),
      consumer_(bus.consumer(group_)),
      jobs_topic_(topic_name(config.kafka.topic_prefix, Topic::kJobs)),
      raw_topic_(topic_name(config.kafka.topic_prefix, Topic::kIssuesRaw)),
      deadletter_topic_(topic_name(config.kafka.topic_prefix, Topic::kDeadLetter)),
      probe_(registry) {
  consumer_->subscribe({jobs_topic_});
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
  while (!stop.load()) {
    try {
      step(stop);
    } catch (const FetchInterrupted&) {
      break;
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
  const auto run = runs_.get_run(job.run_id);
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
  runs_.mark_running(job.run_id, clock_.now_ms(), run->expected_total);
  EarlierCallsRunStore progress(runs_, run->stats.api_calls);
  FetchContext ctx{config_.jira,
                   config_.max_run_attempts,
                   RunRetryPolicy::kDefaultBaseMs,
                   client_,
                   rate_limit_,
                   *producer_,
                   raw_topic_,
                   progress,
                   clock_,
                   stop,
                   nullptr,
                   cached_ids_,
                   &workers_};
  FetchRun fetch(job, ctx);
  const bool fetched = fetch.execute();
  probe_.job_done(fetched, fetch.stats().api_calls, static_cast<int64_t>(fetch.emitted()));
  ++jobs_done_;
}

void Fetcher::dead_letter(const BusMessage& msg, const std::string& reason) {
  spdlog::error("dead-lettering {}[{}]@{}: {}", msg.topic, msg.partition, msg.offset, reason);
  probe_.job_dead_lettered();
  producer_->produce(deadletter_topic_, msg.topic, dead_letter_record(msg, reason));
  producer_->flush(std::chrono::seconds(10));
}

}  // namespace jirasync
