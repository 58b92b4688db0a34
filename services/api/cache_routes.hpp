#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// The /api/v1 routes over the cache (API_CONTRACT.md): issues and issue by
// key, the change feed and link reviews, templates and JQL validation,
// conflicts and the user's local data. The OpenAPI fragment is
// services/api/openapi/cache.json.
std::vector<ApiRoute> cache_routes(ApiContext& ctx);

}  // namespace jirasync
