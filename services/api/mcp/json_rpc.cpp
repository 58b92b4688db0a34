#include "services/api/mcp/json_rpc.hpp"

#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

// MCP never nests deeply; a tight limit keeps hostile input cheap.
constexpr size_t kMaxMessageDepth = 64;

JsonRpcError invalid(const std::string& why, const std::string& id = "") {
  JsonRpcError e(kJsonRpcInvalidRequest, "Invalid Request: " + why);
  e.id = id;
  return e;
}

void write_id(JsonWriter& w, const std::string& id) {
  w.Key("id");
  if (id.empty()) {
    w.Null();
  } else {
    w.RawValue(id.data(), id.size(), rapidjson::kStringType);
  }
}

}  // namespace

JsonRpcMessage parse_json_rpc(const std::string& text) {
  auto doc = std::make_shared<rapidjson::Document>();
  try {
    parse_json_text(text, *doc, "message", kMaxMessageDepth);
  } catch (const PayloadError& e) {
    throw JsonRpcError(kJsonRpcParseError, std::string("Parse error: ") + e.what());
  }
  if (doc->IsArray()) throw invalid("batches are not supported (MCP 2025-06-18)");
  if (!doc->IsObject()) throw invalid("a message is a JSON object");
  JsonRpcMessage m;
  m.doc = doc;
  const auto id = doc->FindMember("id");
  if (id != doc->MemberEnd()) {
    if (!id->value.IsString() && !id->value.IsInt64()) {
      throw invalid("id must be a string or an integer");
    }
    m.id = compact_json(id->value);
  }
  const auto version = doc->FindMember("jsonrpc");
  if (version == doc->MemberEnd() || !version->value.IsString() ||
      std::string(version->value.GetString()) != "2.0") {
    throw invalid("jsonrpc must be \"2.0\"", m.id);
  }
  const auto method = doc->FindMember("method");
  if (method == doc->MemberEnd()) {
    if (m.id.empty() || (!doc->HasMember("result") && !doc->HasMember("error"))) {
      throw invalid("neither a request (method) nor a response (result or error)", m.id);
    }
    m.kind = JsonRpcMessage::Kind::kResponse;
    return m;
  }
  if (!method->value.IsString()) throw invalid("method must be a string", m.id);
  m.method.assign(method->value.GetString(), method->value.GetStringLength());
  m.kind = m.id.empty() ? JsonRpcMessage::Kind::kNotification : JsonRpcMessage::Kind::kRequest;
  const auto params = doc->FindMember("params");
  if (params != doc->MemberEnd()) {
    if (!params->value.IsObject()) throw invalid("params must be an object", m.id);
    m.params = &params->value;
  }
  return m;
}

std::string json_rpc_result(const std::string& id, const std::string& result_json) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  write_string(w, "jsonrpc", "2.0");
  write_id(w, id);
  w.Key("result");
  w.RawValue(result_json.data(), result_json.size(), rapidjson::kObjectType);
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

std::string json_rpc_error(const std::string& id, int code, const std::string& message,
                           const std::string& data_json) {
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  write_string(w, "jsonrpc", "2.0");
  write_id(w, id);
  w.Key("error");
  w.StartObject();
  write_int64(w, "code", code);
  write_string(w, "message", message);
  if (!data_json.empty()) {
    w.Key("data");
    w.RawValue(data_json.data(), data_json.size(), rapidjson::kObjectType);
  }
  w.EndObject();
  w.EndObject();
  return {out.GetString(), out.GetSize()};
}

std::string json_rpc_error(const JsonRpcError& error) {
  return json_rpc_error(error.id, error.code(), error.what(), error.data());
}

}  // namespace jirasync
