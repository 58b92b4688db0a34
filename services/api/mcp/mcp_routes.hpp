#pragma once

#include <vector>

#include "services/api/api_route.hpp"

namespace jirasync {

struct ApiContext;

// MCP's streamable HTTP transport as API routes: POST, GET (405) and DELETE
// /mcp, read scope (a tool that writes, refresh_issue, checks for admin
// itself). The routes share one session table.
std::vector<ApiRoute> mcp_routes(ApiContext& ctx);

}  // namespace jirasync
