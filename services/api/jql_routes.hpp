#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// The query language's routes: GET /api/v1/templates (the catalog) and
// POST /api/v1/jql/validate (Jira-style errors with line and column).
std::vector<ApiRoute> jql_routes(ApiContext& ctx);

}  // namespace jirasync
