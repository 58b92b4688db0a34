#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// GET /api/v1/issues (JQL or a template over the cache, source cache|live|auto,
// keyset paging) and GET /api/v1/issues/{key} (old keys resolve; max_age
// refreshes a stale one through the pipeline).
std::vector<ApiRoute> issue_routes(ApiContext& ctx);

}  // namespace jirasync
