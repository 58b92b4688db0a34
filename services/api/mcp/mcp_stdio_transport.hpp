#pragma once

#include <cstddef>
#include <istream>
#include <ostream>

namespace jirasync {

class McpSession;

// MCP's stdio transport: one JSON-RPC message per line in, one per line out
// (the writer never emits a raw newline inside a message). Nothing but
// protocol messages reaches `out`; logs go to stderr. Returns at end of
// input (the client closed stdin). A line longer than `max_line` bytes is
// answered with an error and skipped, so one hostile line cannot grow memory
// without bound.
void serve_mcp_stdio(McpSession& session, std::istream& in, std::ostream& out,
                     std::size_t max_line = 4 * 1024 * 1024);

}  // namespace jirasync
