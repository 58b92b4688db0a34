#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

namespace jirasync {

// JSON-RPC 2.0 error codes MCP uses: the standard ones, and MCP's own
// "resource not found".
enum JsonRpcCode : int {
  kJsonRpcParseError = -32700,
  kJsonRpcInvalidRequest = -32600,
  kJsonRpcMethodNotFound = -32601,
  kJsonRpcInvalidParams = -32602,
  kJsonRpcInternalError = -32603,
  kMcpResourceNotFound = -32002,
};

// A protocol error to answer as a JSON-RPC error object. `data` is JSON text
// ("" = no data member); `id` is the raw JSON id of the request ("" = null,
// when the request's id could not be read).
class JsonRpcError : public std::runtime_error {
 public:
  JsonRpcError(int code, const std::string& message, std::string data = "")
      : std::runtime_error(message), code_(code), data_(std::move(data)) {}
  int code() const { return code_; }
  const std::string& data() const { return data_; }
  std::string id;

 private:
  int code_;
  std::string data_;
};

// One message received. Requests carry an id and a method; notifications
// only a method; responses (to requests this server never sends) an id and a
// result or error.
struct JsonRpcMessage {
  enum class Kind { kRequest, kNotification, kResponse };
  Kind kind = Kind::kRequest;
  std::string id;  // the id as compact JSON text ("7", "\"a\""); "" for notifications
  std::string method;
  std::shared_ptr<rapidjson::Document> doc;  // the whole message; params point into it
  const rapidjson::Value* params = nullptr;  // an object, or nullptr when absent
};

// Reads one message. Throws JsonRpcError: -32700 for text that is not JSON,
// -32600 for JSON that is not one JSON-RPC 2.0 message (batches included:
// revision 2025-06-18 removed them), with `id` set when it could be read.
JsonRpcMessage parse_json_rpc(const std::string& text);

// A response: `result_json` is the result's JSON text.
std::string json_rpc_result(const std::string& id, const std::string& result_json);
// An error response; `id` "" is written as null.
std::string json_rpc_error(const std::string& id, int code, const std::string& message,
                           const std::string& data_json = "");
std::string json_rpc_error(const JsonRpcError& error);

}  // namespace jirasync
