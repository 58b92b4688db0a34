#include "services/api/jira_compat/jira_compat_routes.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/store/sql_field_catalog.hpp"
#include "services/api/jira_compat/jira_compat_test_support.hpp"

namespace jirasync {
namespace {

using testing::JiraCompatCache;
using testing::kJiraNow;
using testing::rich_issue;

std::string str(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : "<not a string>";
}

class JiraCompatRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<JiraIssue> issues;
    for (int n = 1; n <= 7; ++n) {
      issues.push_back(
          rich_issue(std::to_string(100 + n), "WRKA-" + std::to_string(n), kJiraNow - 10'000 + n));
    }
    cache.put(issues);
  }
  std::set<std::string> keys(const rapidjson::Value& issues) {
    std::set<std::string> out;
    for (const auto& i : issues.GetArray()) out.insert(str(i["key"]));
    return out;
  }
  JiraCompatCache cache;
};

TEST_F(JiraCompatRoutesTest, IssueByKeyRendersWhatTheCacheHolds) {
  auto r = cache.call("GET", "/rest/api/3/issue/WRKA-2");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = JiraCompatCache::json(r);
  EXPECT_EQ(str(d["id"]), "102");
  EXPECT_EQ(str(d["key"]), "WRKA-2");
  EXPECT_EQ(str(d["self"]), "http://cache.test:8080/rest/api/3/issue/102");
  const auto& f = d["fields"];
  EXPECT_EQ(str(f["summary"]), "Login fails for WRKA-2");
  EXPECT_EQ(str(f["status"]["name"]), "Done");
  EXPECT_EQ(str(f["status"]["statusCategory"]["key"]), "done");
  EXPECT_EQ(str(f["priority"]["name"]), "High");
  EXPECT_EQ(str(f["assignee"]["accountId"]), "acc-1");
  EXPECT_EQ(str(f["assignee"]["displayName"]), "Ada Lovelace");
  EXPECT_EQ(str(f["reporter"]["displayName"]), "Grace Hopper");
  EXPECT_EQ(str(f["creator"]["displayName"]), "Alan Turing");
  EXPECT_EQ(str(f["labels"][0]), "qa");
  EXPECT_EQ(str(f["components"][0]["name"]), "web");
  EXPECT_EQ(str(f["fixVersions"][0]["name"]), "1.2");
  EXPECT_EQ(str(f["versions"][0]["name"]), "1.1");
  EXPECT_EQ(str(f["issuetype"]["name"]), "Bug");
  EXPECT_EQ(str(f["project"]["key"]), "WRKA");
  EXPECT_EQ(str(f["resolution"]["name"]), "Done");
  EXPECT_EQ(str(f["created"]), "2024-12-31T02:53:20.000+0000");
  EXPECT_EQ(str(f["duedate"]), "2025-02-01");
  EXPECT_EQ(str(f["description"]["type"]), "doc");
  EXPECT_EQ(f["comment"]["total"].GetInt(), 1);
  EXPECT_EQ(str(f["comment"]["comments"][0]["author"]["displayName"]), "Ada Lovelace");
  EXPECT_EQ(str(f["attachment"][0]["filename"]), "log.txt");
  EXPECT_EQ(f["timetracking"]["timeSpentSeconds"].GetInt(), 1800);
  EXPECT_EQ(str(f["timetracking"]["originalEstimate"]), "1d 2h");
  EXPECT_EQ(str(f["customfield_10001"]["value"]), "Gold");
  EXPECT_EQ(f["customfield_10002"].GetInt(), 3);
  EXPECT_TRUE(f["environment"].IsNull());
}

TEST_F(JiraCompatRoutesTest, OldKeyAndIdResolveToTheCurrentIssue) {
  JiraIssue moved = rich_issue("103", "WMB-40", kJiraNow);
  cache.move(moved, "WRKA-3");
  auto by_old = JiraCompatCache::json(cache.call("GET", "/rest/api/3/issue/WRKA-3"));
  EXPECT_EQ(str(by_old["key"]), "WMB-40");
  auto by_id = JiraCompatCache::json(cache.call("GET", "/rest/api/3/issue/103?fields=summary"));
  EXPECT_EQ(str(by_id["key"]), "WMB-40");
  EXPECT_FALSE(by_id["fields"].HasMember("status"));
}

TEST_F(JiraCompatRoutesTest, UnknownIssueIs404InJirasShape) {
  auto r = cache.call("GET", "/rest/api/3/issue/WRKA-999");
  EXPECT_EQ(r.status, 404);
  auto d = JiraCompatCache::json(r);
  ASSERT_TRUE(d.HasMember("errorMessages")) << r.body;
  EXPECT_EQ(str(d["errorMessages"][0]),
            "Issue does not exist or you do not have permission to see it.");
  EXPECT_TRUE(d["errors"].IsObject());
}

TEST_F(JiraCompatRoutesTest, FieldsSelectAsJiraDoes) {
  auto only =
      JiraCompatCache::json(cache.call("GET", "/rest/api/3/issue/WRKA-1?fields=summary,status"));
  EXPECT_EQ(only["fields"].MemberCount(), 2u);
  auto nav = JiraCompatCache::json(cache.call("GET", "/rest/api/3/issue/WRKA-1?fields=*navigable"));
  EXPECT_TRUE(nav["fields"].HasMember("summary"));
  EXPECT_TRUE(nav["fields"].HasMember("customfield_10001"));
  EXPECT_FALSE(nav["fields"].HasMember("comment"));
  auto minus = JiraCompatCache::json(
      cache.call("GET", "/rest/api/3/issue/WRKA-1?fields=*all,-description&expand=changelog"));
  EXPECT_TRUE(minus["fields"].HasMember("comment"));
  EXPECT_FALSE(minus["fields"].HasMember("description"));
}

TEST_F(JiraCompatRoutesTest, SearchJqlPagesWithNextPageToken) {
  std::set<std::string> seen;
  std::string token;
  int pages = 0;
  while (true) {
    std::string target =
        "/rest/api/3/search/jql?jql=project%3DWRKA%20ORDER%20BY%20key&maxResults=3&fields=key";
    if (!token.empty()) target += "&nextPageToken=" + token;
    auto r = cache.call("GET", target);
    ASSERT_EQ(r.status, 200) << r.body;
    auto d = JiraCompatCache::json(r);
    ++pages;
    for (const auto& k : keys(d["issues"])) seen.insert(k);
    if (d["isLast"].GetBool()) {
      EXPECT_FALSE(d.HasMember("nextPageToken"));
      break;
    }
    token = str(d["nextPageToken"]);
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 7u);
}

TEST_F(JiraCompatRoutesTest, SearchJqlDefaultsToIdsAndPostReadsTheBody) {
  auto get = JiraCompatCache::json(cache.call("GET", "/rest/api/3/search/jql?jql=key%3DWRKA-4"));
  ASSERT_EQ(get["issues"].Size(), 1u);
  EXPECT_EQ(get["issues"][0].MemberCount(), 1u);
  EXPECT_EQ(str(get["issues"][0]["id"]), "104");
  auto post = JiraCompatCache::json(cache.call(
      "POST", "/rest/api/3/search/jql",
      R"j({"jql":"project = WRKA AND key in (WRKA-1, WRKA-2)","fields":["summary"],"maxResults":10})j"));
  ASSERT_EQ(post["issues"].Size(), 2u);
  EXPECT_EQ(str(post["issues"][0]["fields"]["summary"]).rfind("Login fails", 0), 0u);
  EXPECT_TRUE(post["isLast"].GetBool());
}

TEST_F(JiraCompatRoutesTest, SearchErrorsAreJiraShaped) {
  auto bad_jql = cache.call("GET", "/rest/api/3/search/jql?jql=project%20%3D");
  EXPECT_EQ(bad_jql.status, 400);
  EXPECT_NE(bad_jql.body.find("\"errorMessages\":[\"Error in the JQL Query"), std::string::npos)
      << bad_jql.body;
  auto unbounded = cache.call("GET", "/rest/api/3/search/jql?jql=ORDER%20BY%20key");
  EXPECT_EQ(unbounded.status, 400);
  EXPECT_NE(unbounded.body.find("Unbounded JQL"), std::string::npos);
  auto token = cache.call("GET", "/rest/api/3/search/jql?jql=project%3DWRKA&nextPageToken=zz");
  EXPECT_EQ(token.status, 400);
  EXPECT_NE(token.body.find("next page token is invalid"), std::string::npos) << token.body;
  auto max = cache.call("GET", "/rest/api/3/search/jql?jql=project%3DWRKA&maxResults=lots");
  EXPECT_EQ(max.status, 400);
  EXPECT_NE(max.body.find("maxResults"), std::string::npos);
  auto history = cache.call("GET", "/rest/api/3/search/jql?jql=status%20was%20Done");
  EXPECT_EQ(history.status, 400);
  EXPECT_NE(history.body.find("send this query to Jira itself"), std::string::npos) << history.body;
  EXPECT_EQ(history.body.find("--source"), std::string::npos) << history.body;
  auto body = cache.call("POST", "/rest/api/3/search/jql", "{\"jql\": 3}");
  EXPECT_EQ(body.status, 400);
  EXPECT_NE(body.body.find("'jql' must be a string"), std::string::npos);
}

TEST_F(JiraCompatRoutesTest, ClassicSearchHasStartAtAndTotal) {
  auto r = cache.call(
      "GET", "/rest/api/2/search?jql=project%3DWRKA%20ORDER%20BY%20key&startAt=5&maxResults=10");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = JiraCompatCache::json(r);
  EXPECT_EQ(d["startAt"].GetInt(), 5);
  EXPECT_EQ(d["maxResults"].GetInt(), 10);
  EXPECT_EQ(d["total"].GetInt(), 7);
  ASSERT_EQ(d["issues"].Size(), 2u);
  EXPECT_EQ(str(d["issues"][0]["key"]), "WRKA-6");
  // v2 renders rich text as text; navigable fields by default (no comment).
  EXPECT_EQ(str(d["issues"][0]["fields"]["description"]), "Steps");
  EXPECT_FALSE(d["issues"][0]["fields"].HasMember("comment"));
  auto capped = JiraCompatCache::json(
      cache.call("GET", "/rest/api/3/search?jql=project%3DWRKA&maxResults=1000"));
  EXPECT_EQ(capped["maxResults"].GetInt(), 100);
  EXPECT_EQ(capped["issues"].Size(), 7u);
}

TEST_F(JiraCompatRoutesTest, BulkfetchLeavesOutUnknownIssues) {
  auto r =
      cache.call("POST", "/rest/api/3/issue/bulkfetch",
                 R"({"issueIdsOrKeys":["WRKA-1","105","WRKA-404","101"],"fields":["summary"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = JiraCompatCache::json(r);
  EXPECT_EQ(keys(d["issues"]), (std::set<std::string>{"WRKA-1", "WRKA-5"}));
  EXPECT_EQ(d["issueErrors"].Size(), 0u);
  std::string many = R"({"issueIdsOrKeys":[)";
  for (int n = 0; n < 101; ++n) many += (n ? ",\"" : "\"") + std::to_string(n) + "\"";
  auto too_many = cache.call("POST", "/rest/api/3/issue/bulkfetch", many + "]}");
  EXPECT_EQ(too_many.status, 400);
  EXPECT_NE(too_many.body.find("issueIdsOrKeys"), std::string::npos);
  EXPECT_EQ(cache.call("POST", "/rest/api/3/issue/bulkfetch", "[").status, 400);
}

// A page is read in a fixed number of batches (its issues, then the issues
// it shows as parent, sub-task or link end), never one issue at a time; the
// classic search counts its total instead of reading every match.
TEST_F(JiraCompatRoutesTest, PagesAreReadInBatchesNotIssueByIssue) {
  JiraIssue linked = rich_issue("108", "WRKA-8", kJiraNow);
  linked.links = {JiraIssueLink{"9", "Blocks", "outward", "blocks", "101", "WRKA-1"}};
  linked.subtasks = {JiraSubtaskRef{"102", "WRKA-2"}};
  linked.parent_id = "103";
  linked.parent_key = "WRKA-3";
  cache.put({linked});
  auto& tickets = cache.counted_tickets;

  auto one = JiraCompatCache::json(
      cache.call("GET", "/rest/api/3/search/jql?jql=key%3DWRKA-8&fields=*all"));
  ASSERT_EQ(one["issues"].Size(), 1u);
  const auto& f = one["issues"][0]["fields"];
  EXPECT_EQ(str(f["issuelinks"][0]["outwardIssue"]["fields"]["summary"]), "Login fails for WRKA-1");
  EXPECT_EQ(str(f["subtasks"][0]["fields"]["summary"]), "Login fails for WRKA-2");
  EXPECT_EQ(str(f["parent"]["fields"]["summary"]), "Login fails for WRKA-3");
  EXPECT_EQ(tickets.single_reads, 0);
  EXPECT_EQ(tickets.batch_reads, 2);  // the page, then its parent, sub-task and link end
  // ... those without their lists: only summary, status, priority and type show.
  EXPECT_EQ(tickets.row_reads, 1);

  tickets.batch_reads = 0;
  auto page = JiraCompatCache::json(cache.call(
      "GET", "/rest/api/3/search/jql?jql=project%3DWRKA%20ORDER%20BY%20key&fields=*all"));
  EXPECT_EQ(page["issues"].Size(), 8u);
  EXPECT_EQ(tickets.single_reads, 0);
  EXPECT_EQ(tickets.batch_reads, 1);  // every related issue is on the page

  tickets.batch_reads = 0;
  auto bulk = JiraCompatCache::json(
      cache.call("POST", "/rest/api/3/issue/bulkfetch",
                 R"({"issueIdsOrKeys":["WRKA-1","105","WRKA-404","101"],"fields":["*all"]})"));
  EXPECT_EQ(keys(bulk["issues"]), (std::set<std::string>{"WRKA-1", "WRKA-5"}));
  EXPECT_EQ(tickets.single_reads, 0);
  EXPECT_LE(tickets.batch_reads, 3);  // keys to ids, the issues, their related ones

  tickets.batch_reads = 0;
  cache.counted_search.rows_read = 0;
  auto classic = JiraCompatCache::json(cache.call(
      "GET", "/rest/api/2/search?jql=project%3DWRKA%20ORDER%20BY%20key&startAt=2&maxResults=3"));
  EXPECT_EQ(classic["total"].GetInt(), 8);
  ASSERT_EQ(classic["issues"].Size(), 3u);
  EXPECT_EQ(str(classic["issues"][0]["key"]), "WRKA-3");
  EXPECT_EQ(tickets.single_reads, 0);
  EXPECT_EQ(cache.counted_search.rows_read, 2 + 3);  // up to the page's end; `total` is counted
}

TEST_F(JiraCompatRoutesTest, JqlParseGivesTheStructureOrTheError) {
  auto r = cache.call(
      "POST", "/rest/api/3/jql/parse",
      R"({"queries":["project = WRKA AND labels in (qa, x) ORDER BY key DESC","status = "]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = JiraCompatCache::json(r);
  const auto& ok = d["queries"][0];
  EXPECT_EQ(str(ok["structure"]["where"]["operator"]), "and");
  EXPECT_EQ(str(ok["structure"]["where"]["clauses"][1]["operator"]), "in");
  EXPECT_EQ(ok["structure"]["where"]["clauses"][1]["operand"]["values"].Size(), 2u);
  EXPECT_EQ(str(ok["structure"]["orderBy"]["fields"][0]["direction"]), "desc");
  EXPECT_FALSE(ok.HasMember("errors"));
  const auto& bad = d["queries"][1];
  ASSERT_TRUE(bad.HasMember("errors")) << r.body;
  EXPECT_FALSE(bad.HasMember("structure"));
  EXPECT_EQ(
      cache.call("POST", "/rest/api/3/jql/parse?validation=loose", R"({"queries":["a=b"]})").status,
      400);
}

TEST_F(JiraCompatRoutesTest, WritesAre405WithAReadOnlyMessage) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/rest/api/3/issue"},
           {"PUT", "/rest/api/3/issue/WRKA-1"},
           {"DELETE", "/rest/api/3/issue/WRKA-1"},
           {"POST", "/rest/api/3/issue/WRKA-1/comment"},
           {"PUT", "/rest/api/2/issue/WRKA-1/comment/5001"}}) {
    auto r = cache.call(method, path, "{}");
    EXPECT_EQ(r.status, 405) << method << " " << path;
    EXPECT_NE(r.body.find("read-only cache of Jira"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("errorMessages"), std::string::npos);
  }
}

TEST_F(JiraCompatRoutesTest, SiteRoutesAnswerWhatClientsReadFirst) {
  auto me = JiraCompatCache::json(cache.call("GET", "/rest/api/3/myself"));
  EXPECT_EQ(str(me["accountId"]), "acc-1");
  EXPECT_EQ(str(me["displayName"]), "Jirasync key reports");
  auto info = JiraCompatCache::json(cache.call("GET", "/rest/api/2/serverInfo"));
  EXPECT_EQ(str(info["deploymentType"]), "Cloud");
  EXPECT_EQ(str(info["serverTime"]), "2025-01-01T02:53:20.000+0000");
  auto fields = JiraCompatCache::json(cache.call("GET", "/rest/api/3/field"));
  ASSERT_TRUE(fields.IsArray());
  bool summary = false;
  for (const auto& f : fields.GetArray()) {
    summary = summary || str(f["id"]) == "summary";
    EXPECT_FALSE(f["custom"].GetBool());  // no stored field list: the system fields alone
  }
  EXPECT_TRUE(summary);
}

// With Jira's field list stored (migration 15), its custom fields are listed
// as Jira lists them, and the system fields take the site's names.
TEST_F(JiraCompatRoutesTest, FieldListComesFromTheStoredFieldList) {
  SqlFieldCatalog(cache.scratch.db())
      .replace_all({{"summary", "Zusammenfassung", false},
                    {"customfield_10016", "Story Points", true},
                    {"customfield_10021", "Team", true},
                    {"worklog", "Log Work", false}},
                   kJiraNow);
  auto fields = JiraCompatCache::json(cache.call("GET", "/rest/api/3/field"));
  ASSERT_TRUE(fields.IsArray());
  std::map<std::string, const rapidjson::Value*> by_id;
  for (const auto& f : fields.GetArray()) by_id[str(f["id"])] = &f;
  ASSERT_TRUE(by_id.count("summary"));
  EXPECT_EQ(str((*by_id["summary"])["name"]), "Zusammenfassung");
  EXPECT_FALSE(by_id.count("worklog"));  // a system field the cache does not keep
  ASSERT_TRUE(by_id.count("status"));    // kept, though the stored list lacks it
  ASSERT_TRUE(by_id.count("customfield_10016"));
  const auto& points = *by_id["customfield_10016"];
  EXPECT_EQ(str(points["name"]), "Story Points");
  EXPECT_TRUE(points["custom"].GetBool());
  EXPECT_TRUE(points["orderable"].GetBool());
  ASSERT_EQ(points["clauseNames"].Size(), 2u);
  EXPECT_EQ(str(points["clauseNames"][0]), "cf[10016]");
  EXPECT_EQ(str(points["clauseNames"][1]), "Story Points");
  EXPECT_EQ(points["schema"]["customId"].GetInt64(), 10016);
  EXPECT_TRUE(by_id.count("customfield_10021"));
  // /rest/api/2 answers the same list.
  EXPECT_EQ(JiraCompatCache::json(cache.call("GET", "/rest/api/2/field")).Size(), fields.Size());
}

}  // namespace
}  // namespace jirasync

namespace jirasync {
namespace {

// The family's OpenAPI fragment documents exactly its routes (api-core's
// test checks the merged document against the whole router the same way).
TEST(JiraCompatOpenApi, FragmentDocumentsEveryRouteAndNothingElse) {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/services/api/openapi/jira_compat.json");
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("paths")) << "unreadable fragment";
  std::set<std::string> documented;
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& op : path.value.GetObject()) {
      std::string method = op.name.GetString();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(method + " " + path.name.GetString());
    }
  }
  testing::JiraCompatCache cache;
  std::set<std::string> routed;
  for (const auto& r : cache.router.routes()) routed.insert(r.method + " " + r.pattern);
  EXPECT_EQ(documented, routed);
  for (const auto& s : doc["components"]["schemas"].GetObject()) {
    EXPECT_EQ(std::string(s.name.GetString()).rfind("JiraCompat", 0), 0u) << s.name.GetString();
  }
}

}  // namespace
}  // namespace jirasync

namespace jirasync {
namespace {

// Refuses every key, as api-core's check does without a valid one.
class RefuseEveryKey final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest&, ApiScope needed, ApiCaller&) override {
    EXPECT_EQ(needed, ApiScope::kRead);
    return RouteResponse::json(401, R"({"error":{"code":"unauthenticated"}})");
  }
};

TEST(JiraCompatAccess, EveryRouteNeedsAReadKey) {
  testing::JiraCompatCache cache;
  RefuseEveryKey refuse;
  ApiRouter router(refuse);
  router.add(jira_compat_routes(cache.context));
  for (const auto& route : router.routes()) {
    EXPECT_EQ(route.scope, ApiScope::kRead) << route.method << " " << route.pattern;
    RouteRequest r;
    r.method = route.method;
    r.path = route.pattern;  // the {name} segments match themselves
    r.target = r.path;
    EXPECT_EQ(router.dispatch(r).status, 401) << route.method << " " << route.pattern;
  }
}

}  // namespace
}  // namespace jirasync
