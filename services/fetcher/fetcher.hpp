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
#include "common/store/field_catalog.hpp"
#include "common/store/rate_bucket_store.hpp"
#include "common/store/run_slices.hpp"
#include "common/store/run_store.hpp"
#include "services/fetcher/cached_issue_ids.hpp"
#include "services/fetcher/fetcher_probe.hpp"
#include "services/fetcher/fetcher_settings.hpp"
#include "services/fetcher/field_list_refresh.hpp"
#include "services/fetcher/in_flight_slots.hpp"
#include "services/fetcher/request_workers.hpp"
#include "services/fetcher/shared_rate_limit.hpp"
#include "services/fetcher/slice_pipeline.hpp"

namespace jirasync {

// The fetcher role: takes SyncJobs from `jobs`, runs them against Jira and
// commits a job only once its run is recorded (so a crash re-runs the job).
// With `slices` (and settings.slices), a listed run's bulkfetch chunks go out
// as slices on fetch.slices, and this fetcher fetches the slices it is given
// beside its jobs (SlicePipeline), every request within jira.concurrency.
class Fetcher {
 public:
  // `field_catalog` keeps Jira's field list (FieldListRefresh); without it
  // the list is not read. `cached_ids` lets a full sync fetch what Jira has and the cache lacks;
  // without it the sweep only finds deletions.
  Fetcher(const FetcherSettings& settings, Bus& bus, JiraClient& client, RunStore& runs,
          RateBucketStore& buckets, Clock& clock, prometheus::Registry& registry,
          CachedIssueIds* cached_ids = nullptr, RunSlices* slices = nullptr,
          FieldCatalog* field_catalog = nullptr);
  ~Fetcher();

  // Polls once; runs at most one job. Returns true if a record was handled.
  bool step(const std::atomic<bool>& stop);
  // Jobs on this thread, slices on one more, until `stop`.
  void run(const std::atomic<bool>& stop);
  // One pass of the slices (tests that drive the fetcher step by step).
  bool slice_step(const std::atomic<bool>& stop);

  int64_t jobs_done() const { return jobs_done_; }

 private:
  void handle(const BusMessage& msg, const std::atomic<bool>& stop);
  void dead_letter(const BusMessage& msg, const std::string& reason);
  // An attempt that failed without recording it (its database went away):
  // marks it failed once the database answers, unless the run moved on.
  void record_lost_attempt(const SyncJob& job, const std::exception& error, OutageBackoff& backoff);

  void run_jobs(const std::atomic<bool>& stop);

  const FetcherSettings settings_;
  JiraClient& client_;
  RunStore& runs_;
  Clock& clock_;
  CachedIssueIds* cached_ids_;
  RunSlices* slices_;
  SharedRateLimit rate_limit_;
  InFlightSlots slots_;     // jira.concurrency over every thread of this fetcher
  RequestWorkers workers_;  // requests in flight, reused by every run
  std::unique_ptr<BusProducer> producer_;
  std::string group_;
  std::unique_ptr<BusConsumer> consumer_;
  std::string jobs_topic_;
  std::string raw_topic_;
  std::string deadletter_topic_;
  std::string slice_topic_;
  int64_t jobs_done_ = 0;
  FetcherProbe probe_;
  std::unique_ptr<SlicePipeline> slice_pipeline_;  // null: not slicing
  std::unique_ptr<FieldListRefresh> field_list_;   // null: no field catalog
};

}  // namespace jirasync
