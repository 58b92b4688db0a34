#pragma once

#include <cstdint>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

namespace jirasync {

// The fetcher's metrics, registered once, moved by what happened (after
// Redpanda's storage::probe). The names are part of the interface: dashboards
// and docs/operations.md use them.
class FetcherProbe {
 public:
  explicit FetcherProbe(prometheus::Registry& registry);

  // A job ran: whether its fetch completed, the requests it sent (retries
  // included) and the records it put on issues.raw.
  void job_done(bool fetched, int64_t api_calls, int64_t emitted);
  // A job delivered again after its run moved on.
  void job_stale();
  void job_dead_lettered();
  // A slice (fetch.slices) handled: "fetched", "skipped" (its run or listing
  // moved on, or it was recorded already), "failed" (it failed its run's
  // attempt) or "dead_lettered"; with the requests it sent and the records it emitted.
  void slice_done(const char* outcome, int64_t api_calls = 0, int64_t emitted = 0);
  // One request to Jira for `project` answered (`outcome` "ok"), refused with
  // 429 ("rate_limited") or failed otherwise ("failed").
  void jira_request(const std::string& project, const char* endpoint, const char* outcome);
  // A request of `project` waited `ms` for the shared rate limit.
  void rate_limit_waited(const std::string& project, int64_t ms);

 private:
  prometheus::Family<prometheus::Counter>& jobs_;
  prometheus::Family<prometheus::Counter>& slices_;
  prometheus::Counter& api_calls_;
  prometheus::Counter& emitted_;
  prometheus::Family<prometheus::Counter>& jira_requests_;
  prometheus::Family<prometheus::Counter>& rate_limit_wait_;
};

}  // namespace jirasync
