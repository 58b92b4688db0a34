#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/http/http_route.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

struct ApiContext;
class McpResources;
class McpSession;
class McpTools;

// MCP's streamable HTTP transport on one endpoint (/mcp):
// - POST carries one JSON-RPC message. A request is answered with one
//   application/json response; a notification or response with 202 and no body.
// - initialize (without Mcp-Session-Id) opens a session: its id comes back in
//   the Mcp-Session-Id header and every later request must carry it (400
//   without, 404 for an unknown or expired one: the client starts over).
//   A session belongs to the key that opened it; another key gets 404.
// - MCP-Protocol-Version, when sent, must be a revision this server speaks
//   (400 otherwise); absent means 2025-03-26, as the specification says.
// - A request with an Origin header that is neither this Host nor loopback is
//   refused (403): the specification's guard against DNS rebinding.
// - GET answers 405: this server sends nothing unasked, so it offers no
//   server-to-client stream. DELETE ends the session.
// Sessions idle longer than `idle_ms` are forgotten; at most `max_sessions`
// live at once (the least recently used goes first).
class McpHttpEndpoint {
 public:
  explicit McpHttpEndpoint(ApiContext& ctx, int64_t idle_ms = 30 * 60 * 1000,
                           std::size_t max_sessions = 1000);
  ~McpHttpEndpoint();

  RouteResponse post(const RouteRequest& http, const ApiCaller& caller);
  RouteResponse get(const RouteRequest& http, const ApiCaller& caller);
  RouteResponse end(const RouteRequest& http, const ApiCaller& caller);

  std::size_t session_count() const;

 private:
  struct Session;
  std::shared_ptr<Session> find(const std::string& id, const ApiCaller& caller);
  void forget_idle(int64_t now_ms);

  ApiContext& ctx_;
  int64_t idle_ms_;
  std::size_t max_sessions_;
  std::unique_ptr<McpTools> tools_;
  std::unique_ptr<McpResources> resources_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Session>> sessions_;
};

// A random session id: 128 bits as 32 hex digits (visible ASCII, as the
// specification requires, and unguessable).
std::string new_mcp_session_id();

}  // namespace jirasync
