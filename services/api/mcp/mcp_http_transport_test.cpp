#include "services/api/mcp/mcp_http_transport.hpp"

#include <gtest/gtest.h>

#include "services/api/mcp/mcp_routes.hpp"
#include "services/api/mcp/mcp_test_support.hpp"

namespace jirasync {
namespace {

using testing::parsed;

const char* kInitialize =
    R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",)"
    R"("capabilities":{},"clientInfo":{"name":"t","version":"1"}}})";

RouteRequest post(const std::string& body, const std::string& session = "",
                  const std::string& version = "2025-06-18") {
  RouteRequest r;
  r.method = "POST";
  r.target = r.path = "/mcp";
  r.body = body;
  r.headers["content-type"] = "application/json";
  r.headers["accept"] = "application/json, text/event-stream";
  if (!session.empty()) r.headers["mcp-session-id"] = session;
  if (!version.empty()) r.headers["mcp-protocol-version"] = version;
  return r;
}

class McpHttpTest : public ::testing::Test {
 protected:
  McpHttpTest() : endpoint(world.ctx, 60'000, 3) {
    reader.key_name = "reader";
    reader.scope = ApiScope::kRead;
    admin.key_name = "ops";
    admin.scope = ApiScope::kAdmin;
  }
  std::string open(const ApiCaller& caller) {
    auto r = endpoint.post(post(kInitialize, "", ""), caller);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_STREQ(parsed(r.body)["result"]["protocolVersion"].GetString(), "2025-06-18");
    return r.headers["Mcp-Session-Id"];
  }
  testing::McpWorld world;
  McpHttpEndpoint endpoint;
  ApiCaller reader, admin;
};

TEST_F(McpHttpTest, InitializeOpensASessionThatLaterRequestsCarry) {
  const std::string id = open(reader);
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto note =
      endpoint.post(post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", id), reader);
  EXPECT_EQ(note.status, 202);
  EXPECT_TRUE(note.body.empty());
  auto call = endpoint.post(
      post(R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"search_issues",)"
           R"("arguments":{"jql":"key = WRKA-1"}}})",
           id),
      reader);
  ASSERT_EQ(call.status, 200) << call.body;
  EXPECT_STREQ(parsed(call.body)["result"]["structuredContent"]["issues"][0]["key"].GetString(),
               "WRKA-1");
  EXPECT_NE(open(reader), id) << "each initialize gets its own session";
}

TEST_F(McpHttpTest, RequestsWithoutOrWithAnUnknownSessionAreRefused) {
  open(reader);
  auto none = endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})"), reader);
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.body.find("Mcp-Session-Id"), std::string::npos);
  auto unknown =
      endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", "feedface"), reader);
  EXPECT_EQ(unknown.status, 404);
}

TEST_F(McpHttpTest, ASessionBelongsToTheKeyThatOpenedIt) {
  const std::string id = open(reader);
  auto other = endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", id), admin);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", id), reader).status,
            200);
}

TEST_F(McpHttpTest, TheReadKeysSessionMayNotRefreshButAnAdminsMay) {
  const std::string read_id = open(reader);
  const std::string refresh =
      R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"refresh_issue",)"
      R"("arguments":{"key":"WRKA-1"}}})";
  auto refused = parsed(endpoint.post(post(refresh, read_id), reader).body);
  EXPECT_TRUE(refused["result"]["isError"].GetBool());
  EXPECT_TRUE(world.sync.asked.empty());
  const std::string admin_id = open(admin);
  auto done = parsed(endpoint.post(post(refresh, admin_id), admin).body);
  EXPECT_FALSE(done["result"].HasMember("isError"));
  EXPECT_EQ(world.sync.asked.size(), 1u);
}

TEST_F(McpHttpTest, AnUnsupportedProtocolVersionHeaderIs400) {
  const std::string id = open(reader);
  auto r =
      endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", id, "1999-01-01"), reader);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("MCP-Protocol-Version"), std::string::npos);
  // Absent means 2025-03-26, which this server speaks.
  EXPECT_EQ(
      endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", id, ""), reader).status,
      200);
}

TEST_F(McpHttpTest, UnreadableBodiesAre400WithAJsonRpcError) {
  auto r = endpoint.post(post("{oops"), reader);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(parsed(r.body)["error"]["code"].GetInt(), -32700);
  auto batch = endpoint.post(post(std::string("[") + kInitialize + "]"), reader);
  EXPECT_EQ(batch.status, 400);
  EXPECT_EQ(parsed(batch.body)["error"]["code"].GetInt(), -32600);
}

TEST_F(McpHttpTest, AForeignOriginIsRefusedAndTheSameHostOrLoopbackAllowed) {
  RouteRequest r = post(kInitialize);
  r.headers["host"] = "cache.example.com:8080";
  r.headers["origin"] = "https://evil.example.net";
  EXPECT_EQ(endpoint.post(r, reader).status, 403);
  r.headers["origin"] = "http://cache.example.com:8080";
  EXPECT_EQ(endpoint.post(r, reader).status, 200);
  r.headers["origin"] = "http://localhost:3000";
  EXPECT_EQ(endpoint.post(r, reader).status, 200);
  r.headers["origin"] = "http://localhost.evil.example.net";
  EXPECT_EQ(endpoint.post(r, reader).status, 403);
  r.headers["origin"] = "null";
  EXPECT_EQ(endpoint.post(r, reader).status, 403);
}

TEST_F(McpHttpTest, DeleteEndsTheSessionAndGetIs405) {
  const std::string id = open(reader);
  RouteRequest del = post("", id);
  del.method = "DELETE";
  EXPECT_EQ(endpoint.end(del, admin).status, 404) << "not another key's to end";
  EXPECT_EQ(endpoint.end(del, reader).status, 204);
  EXPECT_EQ(endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", id), reader).status,
            404);
  RouteRequest get = post("", id);
  get.method = "GET";
  auto r = endpoint.get(get, reader);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["Allow"], "POST, DELETE");
}

TEST_F(McpHttpTest, IdleSessionsExpireAndTheOldestGoesFirstAtTheCap) {
  const std::string first = open(reader);
  world.clock.advance_ms(1'000);
  const std::string second = open(reader);
  world.clock.advance_ms(1'000);
  open(reader);
  world.clock.advance_ms(1'000);
  open(reader);  // the cap is 3: the first goes
  EXPECT_EQ(endpoint.session_count(), 3u);
  EXPECT_EQ(
      endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", first), reader).status,
      404);
  world.clock.advance_ms(61'000);
  EXPECT_EQ(
      endpoint.post(post(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", second), reader).status,
      404);
  EXPECT_EQ(endpoint.session_count(), 0u);
}

TEST(McpRoutesTest, PostGetAndDeleteOnMcpWithReadScope) {
  testing::McpWorld world;
  const auto routes = mcp_routes(world.ctx);
  ASSERT_EQ(routes.size(), 3u);
  for (const ApiRoute& r : routes) {
    EXPECT_EQ(r.pattern, "/mcp");
    EXPECT_EQ(r.scope, ApiScope::kRead);
  }
  EXPECT_EQ(routes[0].method, "POST");
  EXPECT_EQ(routes[1].method, "GET");
  EXPECT_EQ(routes[2].method, "DELETE");
}

}  // namespace
}  // namespace jirasync
