#include "services/api/mcp/mcp_session.hpp"

#include <gtest/gtest.h>

#include "services/api/mcp/mcp_resources.hpp"
#include "services/api/mcp/mcp_test_support.hpp"
#include "services/api/mcp/mcp_tools.hpp"

namespace jirasync {
namespace {

using testing::parsed;

class McpSessionTest : public ::testing::Test {
 protected:
  explicit McpSessionTest(ApiScope scope = ApiScope::kAdmin)
      : tools(world.ctx, 1'000), resources(world.ctx, 2), session(tools, resources, scope) {}

  rapidjson::Document send(const std::string& text) {
    const auto reply = session.handle_text(text);
    EXPECT_TRUE(reply.has_value()) << text;
    return parsed(reply.value_or("{}"));
  }
  rapidjson::Document request(const std::string& method, const std::string& params = "{}") {
    return send(R"({"jsonrpc":"2.0","id":)" + std::to_string(++next_id) + R"(,"method":")" +
                method + R"(","params":)" + params + "}");
  }
  void initialize() {
    auto r = request("initialize", R"({"protocolVersion":"2025-06-18","capabilities":{},)"
                                   R"("clientInfo":{"name":"test","version":"1"}})");
    ASSERT_TRUE(r.HasMember("result")) << compact_json(r);
    EXPECT_FALSE(session.handle_text(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  }
  // tools/call; returns the result object.
  rapidjson::Document call(const std::string& tool, const std::string& arguments = "{}") {
    auto r = request("tools/call", R"({"name":")" + tool + R"(","arguments":)" + arguments + "}");
    EXPECT_TRUE(r.HasMember("result")) << compact_json(r);
    rapidjson::Document result;
    if (r.HasMember("result")) result.CopyFrom(r["result"], result.GetAllocator());
    return result;
  }
  static int error_code(const rapidjson::Document& r) {
    return r.HasMember("error") ? r["error"]["code"].GetInt() : 0;
  }
  static std::string error_message(const rapidjson::Document& r) {
    return r.HasMember("error") ? r["error"]["message"].GetString() : "";
  }
  static std::string text_of(const rapidjson::Document& result) {
    return result["content"][0]["text"].GetString();
  }

  testing::McpWorld world;
  McpTools tools;
  McpResources resources;
  McpSession session;
  int next_id = 0;
};

class McpReadOnlySessionTest : public McpSessionTest {
 protected:
  McpReadOnlySessionTest() : McpSessionTest(ApiScope::kRead) {}
};

TEST_F(McpSessionTest, UnreadableTextIsAParseErrorWithANullId) {
  auto r = send("{not json");
  EXPECT_EQ(error_code(r), -32700);
  EXPECT_TRUE(r["id"].IsNull());
}

TEST_F(McpSessionTest, BatchesAndNonMessagesAreInvalidRequests) {
  auto batch = send(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  EXPECT_EQ(error_code(batch), -32600);
  EXPECT_NE(error_message(batch).find("batches"), std::string::npos) << error_message(batch);
  EXPECT_EQ(error_code(send(R"({"jsonrpc":"1.0","id":1,"method":"ping"})")), -32600);
  EXPECT_EQ(error_code(send(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1]})")), -32600);
  auto r = send(R"({"jsonrpc":"2.0","id":"a","method":7})");
  EXPECT_EQ(error_code(r), -32600);
  EXPECT_STREQ(r["id"].GetString(), "a") << "the id is echoed when it could be read";
}

TEST_F(McpSessionTest, OnlyPingAndInitializeBeforeInitialize) {
  auto ping = request("ping");
  ASSERT_TRUE(ping.HasMember("result"));
  EXPECT_TRUE(ping["result"].IsObject());
  auto r = request("tools/list");
  EXPECT_EQ(error_code(r), -32600);
  EXPECT_NE(error_message(r).find("initialize"), std::string::npos);
}

TEST_F(McpSessionTest, InitializeNegotiatesTheRevisionAndAnswersOnce) {
  auto r = request("initialize", R"({"protocolVersion":"2025-06-18","capabilities":{},)"
                                 R"("clientInfo":{"name":"claude","version":"1"}})");
  ASSERT_TRUE(r.HasMember("result"));
  EXPECT_STREQ(r["result"]["protocolVersion"].GetString(), "2025-06-18");
  EXPECT_TRUE(r["result"]["capabilities"].HasMember("tools"));
  EXPECT_TRUE(r["result"]["capabilities"].HasMember("resources"));
  EXPECT_STREQ(r["result"]["serverInfo"]["name"].GetString(), "jirasync");
  EXPECT_EQ(session.client_name(), "claude");
  EXPECT_EQ(error_code(request("initialize", R"({"protocolVersion":"2025-06-18"})")), -32600);
}

TEST_F(McpSessionTest, AnUnknownRevisionGetsTheNewest) {
  auto r = request("initialize", R"({"protocolVersion":"2099-01-01","capabilities":{}})");
  EXPECT_STREQ(r["result"]["protocolVersion"].GetString(), "2025-06-18");
  McpSession older(tools, resources, ApiScope::kRead);
  auto o = parsed(*older.handle_text(
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26"}})"));
  EXPECT_STREQ(o["result"]["protocolVersion"].GetString(), "2025-03-26");
}

TEST_F(McpSessionTest, InitializeWithoutARevisionIsInvalidParams) {
  EXPECT_EQ(error_code(request("initialize", "{}")), -32602);
  EXPECT_FALSE(session.initialized());
}

TEST_F(McpSessionTest, UnknownMethodsAreMethodNotFound) {
  initialize();
  EXPECT_EQ(error_code(request("prompts/list")), -32601);
}

TEST_F(McpSessionTest, NotificationsAndResponsesGetNoReply) {
  EXPECT_FALSE(session.handle_text(R"({"jsonrpc":"2.0","method":"notifications/cancelled"})"));
  EXPECT_FALSE(session.handle_text(R"({"jsonrpc":"2.0","id":5,"result":{}})"));
}

TEST_F(McpSessionTest, ToolsListShowsEveryToolWithAnInputSchema) {
  initialize();
  auto r = request("tools/list");
  const auto& tools_json = r["result"]["tools"];
  std::vector<std::string> names;
  for (const auto& t : tools_json.GetArray()) {
    names.emplace_back(t["name"].GetString());
    EXPECT_STREQ(t["inputSchema"]["type"].GetString(), "object");
    EXPECT_GT(t["description"].GetStringLength(), 20u);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"search_issues", "get_issue", "list_changes",
                                             "list_templates", "sync_status", "refresh_issue"}));
}

TEST_F(McpSessionTest, SearchIssuesByJqlAnswersTextAndStructuredContent) {
  initialize();
  auto r = call("search_issues", R"({"jql":"project = WRKA ORDER BY key ASC","limit":2})");
  ASSERT_FALSE(r.HasMember("isError")) << text_of(r);
  const auto& s = r["structuredContent"];
  ASSERT_EQ(s["issues"].Size(), 2u);
  EXPECT_STREQ(s["issues"][0]["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(s["issues"][0]["source"].GetString(), "cache");
  EXPECT_EQ(s["issues"][0]["synced_ms"].GetInt64(), testing::kMcpT0 - 5'000) << "the last write";
  EXPECT_FALSE(s["issues"][0]["stale"].GetBool());
  EXPECT_EQ(s["issues"][0]["labels"].Size(), 2u);
  ASSERT_TRUE(s["next_cursor"].IsString());
  EXPECT_EQ(parsed(text_of(r)), s) << "the text is the same JSON";

  auto next = call("search_issues", R"({"jql":"project = WRKA ORDER BY key ASC","cursor":")" +
                                        std::string(s["next_cursor"].GetString()) + R"("})");
  ASSERT_EQ(next["structuredContent"]["issues"].Size(), 1u);
  EXPECT_STREQ(next["structuredContent"]["issues"][0]["key"].GetString(), "WRKA-3");
  EXPECT_TRUE(next["structuredContent"]["next_cursor"].IsNull());
}

TEST_F(McpSessionTest, SearchMarksOldIssuesStale) {
  initialize();
  world.clock.advance_ms(120'000);  // past the project's 60 s ttl
  auto r = call("search_issues", R"({"jql":"key = WRKA-2"})");
  EXPECT_TRUE(r["structuredContent"]["issues"][0]["stale"].GetBool());
  EXPECT_GE(r["structuredContent"]["issues"][0]["age_ms"].GetInt64(), 120'000);
}

TEST_F(McpSessionTest, SearchIssuesByTemplate) {
  initialize();
  auto list = call("list_templates");
  const auto& templates = list["structuredContent"]["templates"];
  ASSERT_GT(templates.Size(), 5u);
  // The first template whose parameters all have defaults runs as is.
  std::string name;
  for (const auto& t : templates.GetArray()) {
    bool all_default = true;
    for (const auto& p : t["params"].GetArray()) all_default &= !p["default"].IsNull();
    if (all_default) {
      name = t["name"].GetString();
      break;
    }
  }
  ASSERT_FALSE(name.empty());
  auto r = call("search_issues", R"({"template":")" + name + R"("})");
  EXPECT_FALSE(r.HasMember("isError")) << text_of(r);
  EXPECT_TRUE(r["structuredContent"]["jql"].IsString());
  auto bad = call("search_issues", R"({"template":"no-such-template"})");
  EXPECT_TRUE(bad["isError"].GetBool());
  EXPECT_NE(text_of(bad).find("no-such-template"), std::string::npos) << text_of(bad);
}

TEST_F(McpSessionTest, BadJqlIsAToolErrorTheAssistantCanRead) {
  initialize();
  auto r = call("search_issues", R"({"jql":"project = = WRKA"})");
  ASSERT_TRUE(r.HasMember("isError"));
  EXPECT_TRUE(r["isError"].GetBool());
  EXPECT_NE(text_of(r).find("JQL"), std::string::npos) << text_of(r);
  EXPECT_FALSE(r.HasMember("structuredContent"));
}

TEST_F(McpSessionTest, ArgumentsOutsideTheSchemaAreInvalidParamsNamingTheArgument) {
  initialize();
  auto r = request("tools/call", R"({"name":"search_issues","arguments":{"jql":"x","limit":0}})");
  EXPECT_EQ(error_code(r), -32602);
  EXPECT_NE(error_message(r).find("arguments.limit"), std::string::npos) << error_message(r);
  r = request("tools/call", R"({"name":"search_issues","arguments":{"jql":"x","colour":1}})");
  EXPECT_EQ(error_code(r), -32602);
  EXPECT_NE(error_message(r).find("colour"), std::string::npos);
  r = request("tools/call", R"({"name":"get_issue","arguments":{}})");
  EXPECT_NE(error_message(r).find("arguments.key"), std::string::npos);
  r = request("tools/call", R"({"name":"search_issues","arguments":{}})");
  EXPECT_EQ(error_code(r), -32602) << "neither jql nor template";
  r = request("tools/call",
              R"({"name":"get_issue","arguments":{"key":"WRKA-1","max_age":"soon"}})");
  EXPECT_NE(error_message(r).find("arguments.max_age"), std::string::npos);
  r = request("tools/call", R"({"name":"drop_tables","arguments":{}})");
  EXPECT_EQ(error_code(r), -32602);
  EXPECT_NE(error_message(r).find("Unknown tool"), std::string::npos);
}

TEST_F(McpSessionTest, GetIssueShowsDetailAndLocalData) {
  initialize();
  auto r = call("get_issue", R"({"key":"WRKA-1"})");
  const auto& s = r["structuredContent"];
  EXPECT_STREQ(s["issue"]["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(s["issue"]["summary"].GetString(), "Login fails");
  EXPECT_STREQ(s["issue"]["assignee"].GetString(), "Ada Lovelace");
  EXPECT_STREQ(s["issue"]["custom_fields"]["customfield_10001"]["value"].GetString(), "Gold");
  EXPECT_STREQ(s["key_requested"].GetString(), "WRKA-1");
  ASSERT_EQ(s["notes"].Size(), 1u);
  EXPECT_STREQ(s["notes"][0]["text"].GetString(), "seen on staging");
  ASSERT_GE(s["history"].Size(), 1u);
  EXPECT_STREQ(s["history"][0]["change"].GetString(), "inserted");
  EXPECT_TRUE(world.sync.asked.empty()) << "no max_age: no refresh";

  auto missing = call("get_issue", R"({"key":"WRKA-404"})");
  EXPECT_TRUE(missing["isError"].GetBool());
  EXPECT_NE(text_of(missing).find("WRKA-404"), std::string::npos);
}

TEST_F(McpSessionTest, GetIssueWithMaxAgeRefreshesAnOldIssueThroughThePipeline) {
  initialize();
  world.clock.advance_ms(60'000);
  auto fresh_enough = call("get_issue", R"({"key":"WRKA-1","max_age":"1h"})");
  EXPECT_TRUE(world.sync.asked.empty());
  EXPECT_STREQ(fresh_enough["structuredContent"]["issue"]["source"].GetString(), "cache");

  auto changed = testing::issue("1", "WRKA-1", 9'000, "Login fails on Safari");
  world.sync.refreshed = changed;
  auto r = call("get_issue", R"({"key":"WRKA-1","max_age":"30s"})");
  ASSERT_EQ(world.sync.asked.size(), 1u);
  EXPECT_EQ(world.sync.asked[0].kind, JobKind::kRefresh);
  EXPECT_EQ(world.sync.asked[0].keys, std::vector<std::string>{"WRKA-1"});
  const auto& issue = r["structuredContent"]["issue"];
  EXPECT_STREQ(issue["source"].GetString(), "jira");
  EXPECT_STREQ(issue["summary"].GetString(), "Login fails on Safari");
  EXPECT_EQ(issue["age_ms"].GetInt64(), 0);
}

TEST_F(McpSessionTest, GetIssueServesTheCacheSayingSoWhenTheRefreshDoesNotFinish) {
  initialize();
  world.clock.advance_ms(120'000);
  world.sync.complete = false;
  auto r = call("get_issue", R"({"key":"WRKA-2","max_age":"1m"})");
  ASSERT_FALSE(r.HasMember("isError"));
  EXPECT_STREQ(r["structuredContent"]["issue"]["source"].GetString(), "cache");
  EXPECT_TRUE(r["structuredContent"]["issue"]["stale"].GetBool());
  EXPECT_NE(std::string(r["structuredContent"]["note"].GetString()).find("did not finish"),
            std::string::npos);
}

TEST_F(McpSessionTest, ListChangesSinceADuration) {
  initialize();
  auto r = call("list_changes", R"({"since":"-1d"})");
  const auto& changes = r["structuredContent"]["changes"];
  ASSERT_EQ(changes.Size(), 3u);
  EXPECT_STREQ(changes[0]["badge"].GetString(), "new");
  EXPECT_EQ(r["structuredContent"]["since_ms"].GetInt64(), testing::kMcpT0 - 86'400'000);
  auto none = call("list_changes", R"({"since":"1m","kind":["deleted"]})");
  EXPECT_EQ(none["structuredContent"]["changes"].Size(), 0u);
  auto bad =
      request("tools/call", R"({"name":"list_changes","arguments":{"since":"yesterday-ish"}})");
  EXPECT_NE(error_message(bad).find("arguments.since"), std::string::npos);
  bad = request("tools/call", R"({"name":"list_changes","arguments":{"kind":["shiny"]}})");
  EXPECT_NE(error_message(bad).find("arguments.kind"), std::string::npos);
}

TEST_F(McpSessionTest, ListChangesForAViewerStartsAtTheirLastLook) {
  initialize();
  world.feed.mark_seen("ada", testing::kMcpT0);
  auto r = call("list_changes", R"({"viewer":"ada"})");
  EXPECT_EQ(r["structuredContent"]["since_ms"].GetInt64(), testing::kMcpT0);
  EXPECT_EQ(r["structuredContent"]["changes"].Size(), 0u);
}

TEST_F(McpSessionTest, SyncStatusShowsProjectsAndRuns) {
  initialize();
  auto r = call("sync_status");
  const auto& p = r["structuredContent"]["projects"][0];
  EXPECT_STREQ(p["key"].GetString(), "WRKA");
  EXPECT_EQ(p["tickets"].GetInt64(), 3);
  EXPECT_EQ(p["ttl_ms"].GetInt64(), 60'000);
  EXPECT_EQ(p["last_success_ms"].GetInt64(), testing::kMcpT0 - 4'000);
  EXPECT_FALSE(p["stale"].GetBool());
  EXPECT_STREQ(p["last_run"]["status"].GetString(), "success");
  EXPECT_TRUE(p["active_run"].IsNull());
  EXPECT_EQ(r["structuredContent"]["runs"].Size(), 1u);
  auto other = call("sync_status", R"({"project":"NOPE"})");
  EXPECT_TRUE(other["isError"].GetBool());
}

TEST_F(McpSessionTest, RefreshIssueStartsARefreshRun) {
  initialize();
  auto r = call("refresh_issue", R"({"key":"WRKA-3"})");
  ASSERT_FALSE(r.HasMember("isError")) << text_of(r);
  ASSERT_EQ(world.sync.asked.size(), 1u);
  EXPECT_EQ(world.sync.asked[0].project, "WRKA");
  EXPECT_EQ(world.sync.asked[0].keys, std::vector<std::string>{"WRKA-3"});
  EXPECT_STREQ(r["structuredContent"]["runs"][0]["run_id"].GetString(), "run-1");
  EXPECT_STREQ(r["structuredContent"]["run"]["kind"].GetString(), "refresh");
  auto unknown = call("refresh_issue", R"({"key":"ZZZ-1"})");
  EXPECT_TRUE(unknown["isError"].GetBool());
}

TEST_F(McpReadOnlySessionTest, RefreshIssueNeedsAnAdminKey) {
  initialize();
  auto r = call("refresh_issue", R"({"key":"WRKA-3"})");
  ASSERT_TRUE(r.HasMember("isError"));
  EXPECT_NE(text_of(r).find("admin"), std::string::npos);
  EXPECT_TRUE(world.sync.asked.empty());
}

TEST_F(McpSessionTest, ResourcesListPagesAndReadAnswersTheIssue) {
  initialize();
  auto first = request("resources/list");
  const auto& page = first["result"]["resources"];
  ASSERT_EQ(page.Size(), 2u);  // page size 2 in this test
  EXPECT_STREQ(page[0]["uri"].GetString(), "jira://issue/WRKA-3") << "newest update first";
  EXPECT_STREQ(page[0]["mimeType"].GetString(), "application/json");
  ASSERT_TRUE(first["result"].HasMember("nextCursor"));
  auto second =
      request("resources/list",
              R"({"cursor":")" + std::string(first["result"]["nextCursor"].GetString()) + R"("})");
  ASSERT_EQ(second["result"]["resources"].Size(), 1u);
  EXPECT_FALSE(second["result"].HasMember("nextCursor"));
  EXPECT_EQ(error_code(request("resources/list", R"({"cursor":"garbage"})")), -32602);

  auto read = request("resources/read", R"({"uri":"jira://issue/WRKA-2"})");
  const auto& content = read["result"]["contents"][0];
  EXPECT_STREQ(content["uri"].GetString(), "jira://issue/WRKA-2");
  EXPECT_STREQ(parsed(content["text"].GetString())["issue"]["summary"].GetString(), "Logout hangs");
  auto templates = request("resources/templates/list");
  EXPECT_STREQ(templates["result"]["resourceTemplates"][0]["uriTemplate"].GetString(),
               "jira://issue/{key}");
}

TEST_F(McpSessionTest, ReadingAnUnknownResourceIsResourceNotFound) {
  initialize();
  auto r = request("resources/read", R"({"uri":"jira://issue/WRKA-404"})");
  EXPECT_EQ(error_code(r), -32002);
  EXPECT_STREQ(r["error"]["data"]["uri"].GetString(), "jira://issue/WRKA-404");
  EXPECT_EQ(error_code(request("resources/read", R"({"uri":"file:///etc/passwd"})")), -32602);
}

}  // namespace
}  // namespace jirasync
