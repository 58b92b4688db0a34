#include "services/api/mcp/mcp_http_transport.hpp"

#include <algorithm>
#include <random>

#include "common/clock/clock.hpp"
#include "services/api/api_context.hpp"
#include "services/api/mcp/json_rpc.hpp"
#include "services/api/mcp/mcp_resources.hpp"
#include "services/api/mcp/mcp_session.hpp"
#include "services/api/mcp/mcp_tools.hpp"

namespace jirasync {
namespace {

constexpr const char* kSessionHeader = "mcp-session-id";
constexpr const char* kVersionHeader = "mcp-protocol-version";

std::string header(const RouteRequest& r, const char* name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

// A transport-level refusal: the HTTP status, with a JSON-RPC error body
// (id null) so SDK clients show the reason.
RouteResponse refuse(int status, int code, const std::string& message, const std::string& id = "") {
  return RouteResponse::json(status, json_rpc_error(id, code, message));
}

// The specification's defence against DNS rebinding: a browser page may only
// talk to /mcp from this host itself (its Origin names the Host it asked) or
// from loopback. Clients that are not browsers send no Origin.
bool origin_allowed(const RouteRequest& r) {
  const std::string origin = header(r, "origin");
  if (origin.empty()) return true;
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string authority = origin.substr(scheme_end + 3);
  if (authority == header(r, "host")) return true;
  std::string host = authority;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  return host == "localhost" || host == "127.0.0.1" || host == "[::1]";
}

}  // namespace

struct McpHttpEndpoint::Session {
  Session(McpTools& tools, McpResources& resources, const ApiCaller& caller)
      : mcp(tools, resources, caller.scope), key_name(caller.key_name) {}
  McpSession mcp;
  std::string key_name;
  int64_t last_used_ms = 0;
};

std::string new_mcp_session_id() {
  static thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }()};
  std::random_device rd;  // mixed in per id: the stream alone would be predictable
  static const char* kHex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 2; ++i) {
    const uint64_t v = rng() ^ (static_cast<uint64_t>(rd()) << 32 | rd());
    for (int b = 0; b < 16; ++b) id.push_back(kHex[(v >> (b * 4)) & 0xF]);
  }
  return id;
}

McpHttpEndpoint::McpHttpEndpoint(ApiContext& ctx, int64_t idle_ms, std::size_t max_sessions)
    : ctx_(ctx),
      idle_ms_(idle_ms),
      max_sessions_(std::max<std::size_t>(1, max_sessions)),
      tools_(std::make_unique<McpTools>(ctx)),
      resources_(std::make_unique<McpResources>(ctx)) {}

McpHttpEndpoint::~McpHttpEndpoint() = default;

std::size_t McpHttpEndpoint::session_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

void McpHttpEndpoint::forget_idle(int64_t now_ms) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now_ms - it->second->last_used_ms > idle_ms_ ? sessions_.erase(it) : std::next(it);
  }
}

std::shared_ptr<McpHttpEndpoint::Session> McpHttpEndpoint::find(const std::string& id,
                                                                const ApiCaller& caller) {
  const int64_t now = ctx_.clock.now_ms();
  std::lock_guard<std::mutex> lock(mutex_);
  forget_idle(now);
  const auto it = sessions_.find(id);
  // Another key's session is "not found": ids are not to be shared or probed.
  if (it == sessions_.end() || it->second->key_name != caller.key_name) return nullptr;
  it->second->last_used_ms = now;
  return it->second;
}

RouteResponse McpHttpEndpoint::post(const RouteRequest& http, const ApiCaller& caller) {
  if (!origin_allowed(http)) {
    return refuse(403, kJsonRpcInvalidRequest,
                  "Forbidden: Origin is neither this host nor loopback");
  }
  const std::string version = header(http, kVersionHeader);
  if (!version.empty()) {
    const auto& known = mcp_protocol_versions();
    if (std::find(known.begin(), known.end(), version) == known.end()) {
      return refuse(400, kJsonRpcInvalidRequest,
                    "Bad Request: unsupported MCP-Protocol-Version " + version.substr(0, 32));
    }
  }
  JsonRpcMessage message;
  try {
    message = parse_json_rpc(http.body);
  } catch (const JsonRpcError& e) {
    return RouteResponse::json(400, json_rpc_error(e));
  }
  const std::string session_id = header(http, kSessionHeader);

  if (message.method == "initialize" && message.kind == JsonRpcMessage::Kind::kRequest) {
    if (!session_id.empty()) {
      return refuse(400, kJsonRpcInvalidRequest,
                    "Bad Request: initialize opens a new session; send it without Mcp-Session-Id",
                    message.id);
    }
    auto session = std::make_shared<Session>(*tools_, *resources_, caller);
    auto reply = session->mcp.handle(message);
    if (!session->mcp.initialized()) return RouteResponse::json(200, reply.value_or(""));
    const std::string id = new_mcp_session_id();
    const int64_t now = ctx_.clock.now_ms();
    session->last_used_ms = now;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      forget_idle(now);
      while (sessions_.size() >= max_sessions_) {
        auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
          return a.second->last_used_ms < b.second->last_used_ms;
        });
        sessions_.erase(oldest);
      }
      sessions_[id] = session;
    }
    RouteResponse r = RouteResponse::json(200, reply.value_or(""));
    r.headers["Mcp-Session-Id"] = id;
    return r;
  }

  if (session_id.empty()) {
    return refuse(400, kJsonRpcInvalidRequest,
                  "Bad Request: Mcp-Session-Id header required (send initialize first)",
                  message.id);
  }
  const auto session = find(session_id, caller);
  if (!session) {
    return refuse(404, kJsonRpcInvalidRequest,
                  "Session not found (ended or expired): initialize again", message.id);
  }
  const auto reply = session->mcp.handle(message);
  if (!reply) return RouteResponse{202, "application/json", "", {}, {}};
  return RouteResponse::json(200, *reply);
}

RouteResponse McpHttpEndpoint::get(const RouteRequest&, const ApiCaller&) {
  RouteResponse r = refuse(405, kJsonRpcInvalidRequest,
                           "Method Not Allowed: this server offers no server-to-client stream; "
                           "POST messages to /mcp");
  r.headers["Allow"] = "POST, DELETE";
  return r;
}

RouteResponse McpHttpEndpoint::end(const RouteRequest& http, const ApiCaller& caller) {
  if (!origin_allowed(http)) {
    return refuse(403, kJsonRpcInvalidRequest,
                  "Forbidden: Origin is neither this host nor loopback");
  }
  const std::string session_id = header(http, kSessionHeader);
  if (session_id.empty()) {
    return refuse(400, kJsonRpcInvalidRequest, "Bad Request: Mcp-Session-Id header required");
  }
  if (!find(session_id, caller)) return refuse(404, kJsonRpcInvalidRequest, "Session not found");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(session_id);
  }
  return RouteResponse{204, "text/plain; charset=utf-8", "", {}, {}};
}

}  // namespace jirasync
