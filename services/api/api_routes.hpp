#pragma once

#include <vector>

#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// Every route family of the API, in one list: the router is built from it
// and the OpenAPI document is checked against it.
std::vector<ApiRoute> all_routes(ApiContext& ctx);

}  // namespace jirasync
