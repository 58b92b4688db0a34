#include "services/fetcher/fetcher_probe.hpp"

namespace jirasync {

FetcherProbe::FetcherProbe(prometheus::Registry& registry)
    : jobs_(prometheus::BuildCounter()
                .Name("jirasync_fetcher_jobs_total")
                .Help("Sync jobs handled, by outcome (fetched, failed, stale, dead_lettered)")
                .Register(registry)),
      slices_(prometheus::BuildCounter()
                  .Name("jirasync_fetcher_slices_total")
                  .Help("Slices of runs (fetch.slices) handled, by outcome (fetched, skipped, "
                        "failed, dead_lettered)")
                  .Register(registry)),
      api_calls_(prometheus::BuildCounter()
                     .Name("jirasync_fetcher_api_calls_total")
                     .Help("Requests sent to Jira, retries included")
                     .Register(registry)
                     .Add({})),
      emitted_(prometheus::BuildCounter()
                   .Name("jirasync_fetcher_emitted_total")
                   .Help("Snapshots and sweep records put on issues.raw")
                   .Register(registry)
                   .Add({})),
      jira_requests_(prometheus::BuildCounter()
                         .Name("jirasync_fetcher_jira_requests_total")
                         .Help("Requests to Jira by project, endpoint and outcome (ok, "
                               "rate_limited: HTTP 429, failed)")
                         .Register(registry)),
      rate_limit_wait_(prometheus::BuildCounter()
                           .Name("jirasync_fetcher_rate_limit_wait_seconds_total")
                           .Help("Time requests waited for the shared Jira rate limit (Retry-After "
                                 "pauses included), by project")
                           .Register(registry)) {}

void FetcherProbe::job_done(bool fetched, int64_t api_calls, int64_t emitted) {
  api_calls_.Increment(static_cast<double>(api_calls));
  emitted_.Increment(static_cast<double>(emitted));
  jobs_.Add({{"outcome", fetched ? "fetched" : "failed"}}).Increment();
}

void FetcherProbe::slice_done(const char* outcome, int64_t api_calls, int64_t emitted) {
  api_calls_.Increment(static_cast<double>(api_calls));
  emitted_.Increment(static_cast<double>(emitted));
  slices_.Add({{"outcome", outcome}}).Increment();
}

void FetcherProbe::job_stale() {
  jobs_.Add({{"outcome", "stale"}}).Increment();
}

void FetcherProbe::job_dead_lettered() {
  jobs_.Add({{"outcome", "dead_lettered"}}).Increment();
}

void FetcherProbe::jira_request(const std::string& project, const char* endpoint,
                                const char* outcome) {
  jira_requests_.Add({{"project", project}, {"endpoint", endpoint}, {"outcome", outcome}})
      .Increment();
}

void FetcherProbe::rate_limit_waited(const std::string& project, int64_t ms) {
  rate_limit_wait_.Add({{"project", project}}).Increment(static_cast<double>(ms) / 1000.0);
}

}  // namespace jirasync
