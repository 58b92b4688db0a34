#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// The user's own data about cached tickets: conflicts and their resolution,
// tags, notes, links and local edits (writes need the admin scope).
std::vector<ApiRoute> local_routes(ApiContext& ctx);

}  // namespace jirasync
