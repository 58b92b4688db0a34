#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// The change feed with badges (GET /api/v1/changes, POST /api/v1/changes/seen)
// and the tickets linked to something outside Jira with their badges against
// its last review (GET /api/v1/links/{type}/{id}, POST .../review).
std::vector<ApiRoute> change_routes(ApiContext& ctx);

}  // namespace jirasync
