// jirasync-fetcher: turns sync jobs into Jira requests and issue snapshots.
#include <prometheus/registry.h>

#include "common/clock/clock.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/service/service_process.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_rate_bucket_store.hpp"
#include "common/store/sql_run_slices.hpp"
#include "common/store/sql_run_store.hpp"
#include "services/fetcher/cached_issue_ids.hpp"
#include "services/fetcher/fetcher.hpp"
#include "services/fetcher/sync_scope.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  ServiceProcess process(argc, argv, "jirasync-fetcher",
                         "Takes sync jobs from the jobs topic, pages Jira Cloud under the shared "
                         "rate limit and puts issue snapshots on issues.raw; a large run's "
                         "bulkfetch chunks go out as slices on fetch.slices, which every "
                         "fetcher takes its share of. Run as many as you like in one "
                         "consumer group.");
  return process.run([&](const std::atomic<bool>& stop) {
    SystemClock clock;
    // Separate connections: the rate bucket is taken between run updates.
    SqlRunStore runs(process.open_database());
    SqlRateBucketStore buckets(process.open_database());
    SqlCachedIssueIds cached_ids(process.open_database());
    SqlRunSlices slices(process.open_database());  // taken by slice threads between the others
    SqlFieldCatalog field_catalog(process.open_database());
    HttpJiraClient jira(process.config().jira);
    install_sync_scopes(process.config().projects);
    auto bus = process.open_bus();
    Fetcher fetcher(FetcherSettings::from(process.config()), *bus, jira, runs, buckets, clock,
                    process.registry(), &cached_ids, &slices, &field_catalog);
    fetcher.run(stop);
  });
}
