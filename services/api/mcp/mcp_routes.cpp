#include "services/api/mcp/mcp_routes.hpp"

#include <memory>

#include "services/api/mcp/mcp_http_transport.hpp"

namespace jirasync {

std::vector<ApiRoute> mcp_routes(ApiContext& ctx) {
  auto endpoint = std::make_shared<McpHttpEndpoint>(ctx);
  return {
      {"POST", "/mcp", ApiScope::kRead,
       "MCP (Model Context Protocol 2025-06-18) over streamable HTTP: one JSON-RPC message",
       [endpoint](const ApiRequest& r) { return endpoint->post(r.http, r.caller); }},
      {"GET", "/mcp", ApiScope::kRead,
       "MCP server-to-client stream: not offered (405), as the specification allows",
       [endpoint](const ApiRequest& r) { return endpoint->get(r.http, r.caller); }},
      {"DELETE", "/mcp", ApiScope::kRead, "End an MCP session (Mcp-Session-Id)",
       [endpoint](const ApiRequest& r) { return endpoint->end(r.http, r.caller); }},
  };
}

}  // namespace jirasync
