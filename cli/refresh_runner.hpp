#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"
#include "common/jira/jira_client.hpp"
#include "common/store/sync_run.hpp"

namespace jirasync {

// A ticket to fetch again: its key, and its id when the cache has it.
struct RefreshTarget {
  std::string key;
  std::string id;  // "" when not cached yet
  std::string project;
};

struct RefreshOutcome {
  bool jira_reachable = true;
  std::string problem;        // why not everything was refreshed ("" = all done)
  std::vector<SyncRun> runs;  // one per project, as they ended (or stood at the deadline)
  JiraAccount account;        // who the probe ran as (for currentUser())
};

// Refreshes the targets from Jira through the product's own refresh path: a
// `refresh` sync run per project (the fetcher's /issue/bulkfetch under the
// shared rate limit, the reconciler and the writer, like `sync --keys` and
// webhooks), in this process on the in-process bus, or through the services
// on Kafka. Asks Jira who we are first, so an unreachable Jira costs one
// request, not the run's retries. Waits at most `budget_ms`. Ids of runs that
// succeeded are marked checked (fresh even when nothing changed).
RefreshOutcome refresh_tickets(CliContext& ctx, const std::vector<RefreshTarget>& targets,
                               int64_t budget_ms, bool show_progress);

// Just the probe: who Jira says we are, or throws naming the failure.
JiraAccount probe_jira(const Config& config);

}  // namespace jirasync
