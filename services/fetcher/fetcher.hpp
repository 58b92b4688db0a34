#pragma once

#include <atomic>
#include <memory>
#include <string>

#include <prometheus/registry.h>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/jira/jira_client.hpp"
#include "common/service/outage_backoff.hpp"
#include "common/store/rate_bucket_store.hpp"
#include "common/store/run_store.hpp"
#include "services/fetcher/cached_issue_ids.hpp"
#include "services/fetcher/fetcher_probe.hpp"
#include "services/fetcher/request_workers.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {

// The fetcher role: takes SyncJobs from `jobs`, runs them against Jira and
// commits a job only once its run is recorded (so a crash re-runs the job).
class Fetcher {
 public:
  // `cached_ids` lets a full sync fetch what Jira has and the cache lacks;
  // without it the sweep only finds deletions.
  Fetcher(const Config& config, Bus& bus, JiraClient& client, RunStore& runs,
          RateBucketStore& buckets, Clock& clock, prometheus::Registry& registry,
          CachedIssueIds* cached_ids = nullptr);

  // Polls once; runs at most one job. Returns true if a record was handled.
  bool step(const std::atomic<bool>& stop);
  void run(const std::atomic<bool>& stop);

  int64_t jobs_done() const { return jobs_done_; }

 private:
  void handle(const BusMessage& msg, const std::atomic<bool>& stop);
  void dead_letter(const BusMessage& msg, const std::string& reason);
  // An attempt that failed without recording it (its database went away):
  // marks it failed once the database answers, unless the run moved on.
  void record_lost_attempt(const SyncJob& job, const std::exception& error, OutageBackoff& backoff);

  const Config& config_;
  JiraClient& client_;
  RunStore& runs_;
  Clock& clock_;
  CachedIssueIds* cached_ids_;
  SharedRateLimit rate_limit_;
  RequestWorkers workers_;  // requests in flight, reused by every run
  std::unique_ptr<BusProducer> producer_;
  std::string group_;
  std::unique_ptr<BusConsumer> consumer_;
  std::string jobs_topic_;
  std::string raw_topic_;
  std::string deadletter_topic_;
  int64_t jobs_done_ = 0;
  FetcherProbe probe_;
};

}  // namespace jirasync
