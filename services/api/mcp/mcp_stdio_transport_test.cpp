#include "services/api/mcp/mcp_stdio_transport.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "services/api/mcp/mcp_resources.hpp"
#include "services/api/mcp/mcp_session.hpp"
#include "services/api/mcp/mcp_test_support.hpp"
#include "services/api/mcp/mcp_tools.hpp"

namespace jirasync {
namespace {

using testing::parsed;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class McpStdioTest : public ::testing::Test {
 protected:
  McpStdioTest()
      : tools(world.ctx), resources(world.ctx), session(tools, resources, ApiScope::kAdmin) {}
  testing::McpWorld world;
  McpTools tools;
  McpResources resources;
  McpSession session;
};

TEST_F(McpStdioTest, OneReplyLinePerRequestAndNoneForNotifications) {
  std::istringstream in(
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}})"
      "\n"
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
      "\r\n"
      "\n"
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_issue","arguments":{"key":"WRKA-2"}}})"
      "\n"
      "garbage\n"
      R"({"jsonrpc":"2.0","id":3,"method":"ping"})");  // the last line has no newline
  std::ostringstream out;
  serve_mcp_stdio(session, in, out);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 4u) << out.str();
  EXPECT_EQ(parsed(lines[0])["id"].GetInt(), 1);
  auto call = parsed(lines[1]);
  EXPECT_EQ(call["id"].GetInt(), 2);
  EXPECT_STREQ(call["result"]["structuredContent"]["issue"]["summary"].GetString(), "Logout hangs");
  EXPECT_EQ(parsed(lines[2])["error"]["code"].GetInt(), -32700);
  EXPECT_EQ(parsed(lines[3])["id"].GetInt(), 3);
}

TEST_F(McpStdioTest, ALineOverTheLimitIsRefusedAndTheNextStillServed) {
  std::istringstream in(std::string(100, 'x') + "\n" +
                        R"({"jsonrpc":"2.0","id":9,"method":"ping"})" + "\n");
  std::ostringstream out;
  serve_mcp_stdio(session, in, out, 64);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(parsed(lines[0])["error"]["code"].GetInt(), -32600);
  EXPECT_NE(lines[0].find("longer than 64"), std::string::npos);
  EXPECT_EQ(parsed(lines[1])["id"].GetInt(), 9);
}

TEST_F(McpStdioTest, TextWithNewlinesInsideStringsStaysOnOneLine) {
  world.store.add_note("1", "line one\nline two", testing::kMcpT0);
  std::istringstream in(
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})"
      "\n"
      R"({"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"jira://issue/WRKA-1"}})"
      "\n");
  std::ostringstream out;
  serve_mcp_stdio(session, in, out);
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("line one\\\\nline two"), std::string::npos) << lines[1];
}

}  // namespace
}  // namespace jirasync
