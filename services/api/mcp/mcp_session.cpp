#include "services/api/mcp/mcp_session.hpp"

#include <algorithm>

#include "common/json/json_writer.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/runtime/version.hpp"
#include "services/api/mcp/mcp_resources.hpp"
#include "services/api/mcp/mcp_tool_catalogue.hpp"
#include "services/api/mcp/mcp_tools.hpp"

namespace jirasync {
namespace {

std::string member_text(const rapidjson::Value* params, const char* name) {
  if (params == nullptr) return "";
  const auto it = params->FindMember(name);
  if (it == params->MemberEnd() || !it->value.IsString()) return "";
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::string tool_result_json(const McpToolResult& result) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("content");
  w.StartArray();
  w.StartObject();
  write_string(w, "type", "text");
  write_string(w, "text", result.error ? result.message : result.json);
  w.EndObject();
  w.EndArray();
  if (result.error) {
    write_bool(w, "isError", true);
  } else {
    // The same JSON, structured, for clients that read structuredContent.
    w.Key("structuredContent");
    w.RawValue(result.json.data(), result.json.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

}  // namespace

const std::vector<std::string>& mcp_protocol_versions() {
  static const std::vector<std::string> kVersions = {kMcpProtocolVersion, "2025-03-26"};
  return kVersions;
}

McpSession::McpSession(McpTools& tools, McpResources& resources, ApiScope scope)
    : tools_(tools), resources_(resources), scope_(scope) {}

bool McpSession::initialized() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return initialize_answered_;
}

std::string McpSession::protocol_version() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return version_;
}

std::string McpSession::client_name() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return client_name_;
}

std::optional<std::string> McpSession::handle_text(const std::string& text) {
  JsonRpcMessage message;
  try {
    message = parse_json_rpc(text);
  } catch (const JsonRpcError& e) {
    return json_rpc_error(e);
  }
  return handle(message);
}

std::optional<std::string> McpSession::handle(const JsonRpcMessage& message) {
  if (message.kind == JsonRpcMessage::Kind::kResponse) return std::nullopt;  // we ask nothing
  if (message.kind == JsonRpcMessage::Kind::kNotification) {
    if (message.method == "notifications/initialized") {
      std::lock_guard<std::mutex> lock(mutex_);
      client_ready_ = true;
    }
    // Others (cancelled, progress, roots changed) need no answer from a
    // server whose calls are short and that asks the client nothing.
    return std::nullopt;
  }
  try {
    return json_rpc_result(message.id, dispatch(message));
  } catch (JsonRpcError& e) {
    e.id = message.id;
    return json_rpc_error(e);
  } catch (const std::exception& e) {
    return json_rpc_error(message.id, kJsonRpcInternalError, "Internal error: " + redact(e.what()));
  }
}

std::string McpSession::initialize(const JsonRpcMessage& message) {
  const auto* params = message.params;
  const std::string asked = member_text(params, "protocolVersion");
  if (asked.empty()) {
    throw JsonRpcError(kJsonRpcInvalidParams, "params.protocolVersion: required string");
  }
  const auto& known = mcp_protocol_versions();
  const std::string version =
      std::find(known.begin(), known.end(), asked) != known.end() ? asked : known.front();
  std::string client;
  if (params != nullptr) {
    const auto info = params->FindMember("clientInfo");
    if (info != params->MemberEnd() && info->value.IsObject()) {
      client = member_text(&info->value, "name");
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (initialize_answered_) {
      throw JsonRpcError(kJsonRpcInvalidRequest, "Invalid Request: already initialized");
    }
    initialize_answered_ = true;
    version_ = version;
    client_name_ = client;
  }
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  write_string(w, "protocolVersion", version);
  w.Key("capabilities");
  w.StartObject();
  w.Key("tools");
  w.StartObject();
  write_bool(w, "listChanged", false);
  w.EndObject();
  w.Key("resources");
  w.StartObject();
  write_bool(w, "subscribe", false);
  write_bool(w, "listChanged", false);
  w.EndObject();
  w.EndObject();
  w.Key("serverInfo");
  w.StartObject();
  write_string(w, "name", "jirasync");
  write_string(w, "title", "Jirasync: a local cache of Jira Cloud issues");
  write_string(w, "version", std::string(kJirasyncVersion));
  w.EndObject();
  write_string(w, "instructions",
               "Answers from a local cache of Jira Cloud issues. search_issues takes JQL or a "
               "template (list_templates); every issue says how old it is (age_ms, stale). "
               "get_issue with max_age refreshes an old issue first; sync_status shows how "
               "fresh each project is.");
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

std::string McpSession::dispatch(const JsonRpcMessage& m) {
  if (m.method == "initialize") return initialize(m);
  if (m.method == "ping") return "{}";
  if (!initialized()) {
    throw JsonRpcError(kJsonRpcInvalidRequest,
                       "Invalid Request: send initialize before " + m.method.substr(0, 64));
  }
  if (m.method == "tools/list") return mcp_tool_list_json();
  if (m.method == "tools/call") {
    const std::string name = member_text(m.params, "name");
    if (name.empty()) throw JsonRpcError(kJsonRpcInvalidParams, "params.name: required string");
    const rapidjson::Value* arguments = nullptr;
    if (const auto it = m.params->FindMember("arguments"); it != m.params->MemberEnd()) {
      arguments = &it->value;
    }
    return tool_result_json(tools_.call(name, arguments, scope_));
  }
  if (m.method == "resources/list") return resources_.list(member_text(m.params, "cursor"));
  if (m.method == "resources/templates/list") return McpResources::templates();
  if (m.method == "resources/read") {
    const std::string uri = member_text(m.params, "uri");
    if (uri.empty()) throw JsonRpcError(kJsonRpcInvalidParams, "params.uri: required string");
    return resources_.read(uri);
  }
  throw JsonRpcError(kJsonRpcMethodNotFound, "Method not found: " + m.method.substr(0, 64));
}

}  // namespace jirasync
