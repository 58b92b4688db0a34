#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/store/ticket_freshness.hpp"
#include "services/api/api_context.hpp"
#include "services/api/json/cache_json.hpp"
#include "services/api/json/issue_origin.hpp"

namespace jirasync {

// A cached (or, by key, not yet cached) issue the API wants fetched again.
struct IssueToRefresh {
  std::string key;
  std::string id;  // "" when not cached yet
  std::string project;
};

struct RefreshWait {
  std::vector<std::string> done_projects;  // whose refresh run succeeded in time
  std::string note;                        // why not everything was refreshed ("" = all done)
};

// Asks the pipeline (ApiContext::sync) for one refresh run per project and
// waits on the RunStore for them to end, at most `budget_ms` of ctx.clock. The
// API never calls Jira itself. Ids of runs that succeeded are marked checked,
// so an issue Jira did not change counts as fresh too.
RefreshWait refresh_and_wait(ApiContext& ctx, const std::vector<IssueToRefresh>& issues,
                             int64_t budget_ms, const std::string& why);

// Where each of `ids` stands now (source "cache"; stale against its project's
// cache_ttl). Ids the cache does not hold are left out.
std::map<std::string, IssueOrigin> origins_of(ApiContext& ctx, const std::vector<std::string>& ids);

}  // namespace jirasync
