#include "services/api/mcp/mcp_stdio_transport.hpp"

#include <string>

#include "services/api/mcp/json_rpc.hpp"
#include "services/api/mcp/mcp_session.hpp"

namespace jirasync {

void serve_mcp_stdio(McpSession& session, std::istream& in, std::ostream& out,
                     std::size_t max_line) {
  std::string line;
  std::streambuf* buf = in.rdbuf();
  while (true) {
    line.clear();
    bool too_long = false;
    bool eof = true;
    // Read up to '\n' by hand: std::getline has no length bound.
    for (int c = buf->sbumpc(); c != std::char_traits<char>::eof(); c = buf->sbumpc()) {
      eof = false;
      if (c == '\n') break;
      if (line.size() < max_line) {
        line.push_back(static_cast<char>(c));
      } else {
        too_long = true;
      }
    }
    if (eof && line.empty()) return;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::optional<std::string> reply;
    if (too_long) {
      reply = json_rpc_error(
          "", kJsonRpcInvalidRequest,
          "Invalid Request: message longer than " + std::to_string(max_line) + " bytes");
    } else {
      reply = session.handle_text(line);
    }
    if (reply) {
      out << *reply << '\n';
      out.flush();
    }
  }
}

}  // namespace jirasync
