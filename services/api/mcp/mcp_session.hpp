#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "services/api/api_route.hpp"
#include "services/api/mcp/json_rpc.hpp"

namespace jirasync {

class McpResources;
class McpTools;

// The protocol revisions this server speaks, newest first. initialize answers
// the client's revision when it is one of these, else the newest.
const std::vector<std::string>& mcp_protocol_versions();
inline constexpr const char* kMcpProtocolVersion = "2025-06-18";

// One MCP connection's lifecycle and dispatch: initialize (once), then
// notifications/initialized, ping, tools/*, resources/*. Transport-neutral:
// stdio feeds it lines, HTTP feeds it request bodies. Thread-safe (HTTP
// requests of one session may arrive at once).
class McpSession {
 public:
  // `scope`: what the caller may do (stdio: the local user, admin).
  McpSession(McpTools& tools, McpResources& resources, ApiScope scope);

  // One message in: the response to send, or nothing (notifications,
  // responses). Protocol errors become JSON-RPC error responses.
  std::optional<std::string> handle(const JsonRpcMessage& message);
  // The same from text; unreadable text answers -32700/-32600 with a null id.
  std::optional<std::string> handle_text(const std::string& text);

  bool initialized() const;
  // The negotiated revision ("" before initialize).
  std::string protocol_version() const;
  std::string client_name() const;

 private:
  std::string dispatch(const JsonRpcMessage& message);
  std::string initialize(const JsonRpcMessage& message);

  McpTools& tools_;
  McpResources& resources_;
  ApiScope scope_;
  mutable std::mutex mutex_;
  bool initialize_answered_ = false;
  bool client_ready_ = false;  // notifications/initialized arrived
  std::string version_;
  std::string client_name_;
};

}  // namespace jirasync
