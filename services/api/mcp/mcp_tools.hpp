#pragma once

#include <cstdint>
#include <string>

#include <rapidjson/document.h>

#include "services/api/api_route.hpp"

namespace jirasync {

struct ApiContext;

// What a tool answered: its result as JSON text, or (error) a message for
// the assistant to read: a bad query, an unknown issue, a missing scope.
struct McpToolResult {
  std::string json;
  bool error = false;
  std::string message;
};

// The tools of mcp_tool_catalogue(), run over the API's read seams; refreshes
// go through ApiContext::sync (the pipeline), never straight to Jira.
class McpTools {
 public:
  // `refresh_wait_ms`: how long get_issue with max_age waits for its refresh run.
  explicit McpTools(ApiContext& ctx, int64_t refresh_wait_ms = 30000);

  // Runs tool `name` for a caller of `scope`. Throws JsonRpcError -32602 for
  // an unknown tool or arguments that do not fit its input schema; anything
  // the tool itself fails at comes back as an error result.
  McpToolResult call(const std::string& name, const rapidjson::Value* arguments, ApiScope scope);

 private:
  std::string search_issues(const rapidjson::Value* arguments);
  std::string get_issue(const rapidjson::Value* arguments);
  std::string list_changes(const rapidjson::Value* arguments);
  std::string list_templates(const rapidjson::Value* arguments);
  std::string sync_status(const rapidjson::Value* arguments);
  std::string refresh_issue(const rapidjson::Value* arguments);

  ApiContext& ctx_;
  int64_t refresh_wait_ms_;
};

// A tool's own failure (unknown issue, unconfigured project): the message is
// what the assistant reads.
class McpToolFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace jirasync
