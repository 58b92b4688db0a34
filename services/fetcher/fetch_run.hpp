#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/jira/jira_client.hpp"
#include "common/store/run_slices.hpp"
#include "common/store/run_store.hpp"
#include "services/fetcher/cached_issue_ids.hpp"
#include "services/fetcher/fetch_slice.hpp"
#include "services/fetcher/in_flight_slots.hpp"
#include "services/fetcher/request_workers.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {

// Everything one run needs from the outside world.
struct FetchContext {
  const JiraSettings& jira;
  int max_run_attempts = 3;
  int64_t run_retry_base_ms = 5000;
  JiraClient& client;
  SharedRateLimit& rate_limit;
  BusProducer& producer;
  std::string raw_topic;
  RunStore& runs;
  Clock& clock;
  const std::atomic<bool>& stop;
  // Optional jitter source in [0,1) for request backoff (tests pin it).
  std::function<double()> jitter;
  // What the cache holds, for the full sweep's reconcile; null = no reconcile.
  CachedIssueIds* cached_ids = nullptr;
  // Threads for requests in flight together (up to jira.concurrency); null =
  // one request at a time.
  RequestWorkers* workers = nullptr;
  // Slices: a listed run publishes its bulkfetch chunks on `slice_topic` for
  // every fetcher, accounted through `run_slices`; null = it fetches them itself.
  RunSlices* run_slices = nullptr;
  std::string slice_topic = {};
  // The fetcher's requests in flight across all its threads; null = no bound here.
  InFlightSlots* slots = nullptr;
};

// Stopped by shutdown: the job is left uncommitted so it is delivered again.
class FetchInterrupted : public std::runtime_error {
 public:
  FetchInterrupted() : std::runtime_error("fetch interrupted by shutdown") {}
};

// Turns one SyncJob into Jira requests and issue snapshots on `issues.raw`,
// and records on the run what it emitted (or why it failed).
class FetchRun {
 public:
  FetchRun(const SyncJob& job, FetchContext& ctx);

  // Returns true when the fetch completed; false when the attempt failed (the
  // run is then waiting for a retry or failed for good). Throws FetchInterrupted.
  bool execute();

  // Fetches one slice of a run (any fetcher may) and emits its issues;
  // returns what it adds to the run. Throws when it failed after retries
  // (the caller fails the attempt) or FetchInterrupted.
  SliceOutcome fetch_slice(const FetchSlice& slice);

  const RunStats& stats() const { return stats_; }
  int64_t emitted() const { return emitted_; }

 private:
  void fetch_updated_since(int64_t since_ms);
  // Many changes: lists the ids updated since `since_ms` (5000 a page), then
  // fetches them by bulkfetch chunks in flight together.
  void fetch_listed_since(int64_t since_ms);
  // `fetch_all`: a full sync with no cursor. The listing is the work list:
  // every listed issue is fetched by bulkfetch (no `updated` pass before).
  void sweep(bool fetch_all = false);
  // What a full sync with no cursor fetches: every listed id not yet emitted.
  void fetch_listed(const std::vector<std::string>& listed);
  // Fetches what Jira has and neither the cache nor this run holds.
  void fetch_missing(const std::vector<std::string>& jira_ids,
                     const std::vector<std::string>& cached);
  // Asks Jira for the cached ids of the project the sweep did not list (the
  // ones its end marker would delete); emits what Jira still has and returns
  // those ids. No request when there are none.
  std::vector<std::string> verify_unlisted(const std::vector<std::string>& jira_ids,
                                           const std::vector<std::string>& cached);
  void refresh();
  // Emits what Jira returns; returns what it reported in issueErrors and adds
  // the ids it returned to `returned_ids` when given.
  std::vector<std::string> bulk_fetch(const std::vector<std::string>& ids_or_keys,
                                      bool moves_cursor,
                                      std::vector<std::string>* returned_ids = nullptr);
  // Emits one snapshot unless this run already emitted the issue at this
  // `updated` or later, so every record a run counts is a distinct
  // (issue, updated): the writer's idempotency key. Returns whether it did.
  bool emit_issue(IssueText& issue, int64_t updated_ms, bool moves_cursor);
  // Pages the comments Jira left out of `issue` (none when its list is
  // complete). Safe on a worker thread.
  void complete_issue_comments(IssueText& issue);
  void heartbeat();
  // One Jira request under the shared rate limit, retried with backoff. Safe
  // on a worker thread.
  template <typename Fn>
  auto call(const char* what, Fn&& fn,
            InFlightSlots::Priority priority = InFlightSlots::Priority::kChunk) -> decltype(fn());
  // Runs request(0..count-1) with up to jira.concurrency in flight and hands
  // each result to consume(i, result) on this thread, in order. A failure
  // waits for the requests in flight, then propagates.
  template <typename Request, typename Consume>
  void in_flight(size_t count, Request&& request, Consume&& consume);
  // A listed run's cursor never passes the time its listing ended: an issue
  // created after that was not listed, and the next run must still find it.
  void cap_cursor_at_listing(int64_t listing_sent_ms);
  bool slicing() const { return ctx_.run_slices != nullptr && !slice_mode_; }
  // Publishes listed ids not yet sliced as slices of this run's listing.
  void publish_slices(const std::vector<std::string>& ids);
  // Asks again for what Jira reported in issueErrors; fails the attempt when
  // some are still missing after the retries.
  void fetch_until_complete(std::vector<std::string> errors, bool moves_cursor);

  SyncJob job_;
  FetchContext& ctx_;
  std::mutex stats_mutex_;  // api_calls is counted on worker threads
  RunStats stats_;
  std::atomic<bool> cancelled_{false};  // a request in flight failed: the others stop
  int64_t emitted_ = 0;
  int64_t max_updated_ms_ = 0;
  int64_t cursor_cap_ms_ = INT64_MAX;
  std::unordered_map<std::string, int64_t> emitted_updated_;  // issue id -> newest emitted
  bool slice_mode_ = false;  // fetching a slice: the owner keeps the run's accounting
  std::string listing_;      // this execution's listing, when it slices
  int64_t slices_published_ = 0;
  std::unordered_set<std::string> sliced_;  // ids some fetcher fetches as a slice of this run
};

}  // namespace jirasync
