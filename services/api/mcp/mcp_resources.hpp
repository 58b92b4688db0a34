#pragma once

#include <string>

namespace jirasync {

struct ApiContext;

// The cached issues as MCP resources: `jira://issue/KEY`, JSON text (the
// same document get_issue answers). resources/list pages through every
// cached issue, newest update first, with the search's keyset cursor.
class McpResources {
 public:
  explicit McpResources(ApiContext& ctx, int page_size = 100);

  // resources/list: {"resources":[{uri,name,title,mimeType}],"nextCursor"?}.
  // Throws JsonRpcError -32602 for a cursor this server did not give.
  std::string list(const std::string& cursor);
  // resources/templates/list: the one template, jira://issue/{key}.
  static std::string templates();
  // resources/read: {"contents":[{uri,mimeType,text}]}. Throws JsonRpcError
  // -32002 for an issue the cache does not hold, -32602 for another scheme.
  std::string read(const std::string& uri);

 private:
  ApiContext& ctx_;
  int page_size_;
};

inline constexpr const char* kMcpIssueUriPrefix = "jira://issue/";

}  // namespace jirasync
