#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// /api/v1 routes of the pipeline: projects and their freshness, runs and
// their live progress (Server-Sent Events), sync and refresh requests,
// consumer lag, and the OpenAPI document.
std::vector<ApiRoute> pipeline_routes(ApiContext& ctx);

}  // namespace jirasync
