#pragma once

#include <string>
#include <vector>

namespace jirasync {

// One tool as tools/list shows it. `input_schema` is a JSON Schema object
// (JSON text); `arguments` are its property names (anything else is refused).
struct McpToolSpec {
  std::string name;
  std::string title;
  std::string description;
  std::string input_schema;
  std::vector<std::string> arguments;
  bool admin = false;  // over HTTP, only an admin key may call it
};

// Every tool the server offers, in the order tools/list shows them.
const std::vector<McpToolSpec>& mcp_tool_catalogue();
// The tool named `name`, or nullptr.
const McpToolSpec* find_mcp_tool(const std::string& name);

// The tools/list result: {"tools":[{name,title,description,inputSchema}]}.
std::string mcp_tool_list_json();

}  // namespace jirasync
