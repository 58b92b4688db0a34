#include "services/api/pipeline_routes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/envelope/sync_job.hpp"
#include "services/api/api_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;

rapidjson::Document json(const RouteResponse& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  EXPECT_FALSE(doc.HasParseError()) << response.body;
  return doc;
}

std::string error_code(const RouteResponse& response) {
  auto doc = json(response);
  return doc.HasMember("error") ? doc["error"]["code"].GetString() : "";
}

std::string error_parameter(const RouteResponse& response) {
  auto doc = json(response);
  return doc.HasMember("error") && doc["error"].HasMember("parameter")
             ? doc["error"]["parameter"].GetString()
             : "";
}

class PipelineRoutesTest : public ::testing::Test {
 protected:
  SyncRun add_run(const std::string& project, RunStatus status) {
    auto started = api.trigger_.trigger(project, JobKind::kIncremental, {}, "cron");
    EXPECT_TRUE(started.started);
    if (status != RunStatus::kQueued)
      api.runs_.mark_running(started.run.id, api.clock_.now_ms(), 10);
    if (status == RunStatus::kSuccess) {
      api.runs_.mark_fetch_complete(started.run.id, 0, 0, {}, api.clock_.now_ms());
    }
    return *api.runs_.get_run(started.run.id);
  }
  ApiFixture api;
};

// Every route of the family refuses a request without a key, with an
// unknown key, and (admin routes) a read key.
TEST_F(PipelineRoutesTest, EveryRouteNeedsAKeyOfItsScope) {
  struct Case {
    std::string method, target;
    bool admin;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/projects", false}, {"GET", "/api/v1/runs", false},
      {"GET", "/api/v1/runs/r1", false},  {"GET", "/api/v1/runs/r1/events", false},
      {"GET", "/api/v1/lag", false},      {"POST", "/api/v1/sync", true},
      {"POST", "/api/v1/refresh", true},  {"POST", "/api/v1/issues/WRKA-1/refresh", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target);
    const auto missing = api.send(c.method, c.target);
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(error_code(missing), "unauthenticated");
    EXPECT_TRUE(missing.headers.count("WWW-Authenticate"));
    const auto invalid = api.send(c.method, c.target, "jsk_" + std::string(64, '0'));
    EXPECT_EQ(invalid.status, 401);
    if (c.admin) {
      const auto read = api.send(c.method, c.target, api.read_key);
      EXPECT_EQ(read.status, 403);
      EXPECT_EQ(error_code(read), "forbidden");
    }
  }
  EXPECT_TRUE(api.producer_.records.empty());  // nothing was started
}

TEST_F(PipelineRoutesTest, ProjectsShowFreshnessAndTheLastRun) {
  const auto run = add_run("WRKA", RunStatus::kSuccess);
  api.clock_.advance_ms(1000);
  const auto response = api.send("GET", "/api/v1/projects", api.read_key);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = json(response);
  const auto& projects = doc["projects"];
  ASSERT_EQ(projects.Size(), 2u);
  EXPECT_STREQ(projects[0]["key"].GetString(), "WRKA");
  EXPECT_EQ(projects[0]["tickets"].GetInt64(), 0);
  EXPECT_EQ(projects[0]["ttl_ms"].GetInt64(), 3600000);
  EXPECT_EQ(projects[0]["age_ms"].GetInt64(), 1000);
  EXPECT_FALSE(projects[0]["stale"].GetBool());
  EXPECT_STREQ(projects[0]["last_run"]["id"].GetString(), run.id.c_str());
  EXPECT_STREQ(projects[0]["last_run"]["status"].GetString(), "success");
  EXPECT_GT(projects[0]["next_run_ms"].GetInt64(), api.clock_.now_ms());
  EXPECT_TRUE(projects[1]["last_run"].IsNull());
  EXPECT_TRUE(projects[1]["last_success_ms"].IsNull());
  EXPECT_TRUE(projects[1]["stale"].GetBool());
}

TEST_F(PipelineRoutesTest, RunsListsNewestFirstWithTheContractShape) {
  add_run("WRKA", RunStatus::kSuccess);
  api.clock_.advance_ms(10);
  const auto second = add_run("WRKB", RunStatus::kRunning);
  auto doc = json(api.send("GET", "/api/v1/runs", api.read_key));
  ASSERT_EQ(doc["runs"].Size(), 2u);
  const auto& first = doc["runs"][0];
  EXPECT_STREQ(first["id"].GetString(), second.id.c_str());
  for (const char* member :
       {"id", "project", "kind", "status", "trigger", "emitted", "applied", "fetched",
        "fetch_complete", "expected_total", "created_ms", "started_ms", "finished_ms", "error"}) {
    EXPECT_TRUE(first.HasMember(member)) << member;
  }
  EXPECT_TRUE(first["finished_ms"].IsNull());
  EXPECT_EQ(json(api.send("GET", "/api/v1/runs?project=WRKA&limit=5", api.read_key))["runs"].Size(),
            1u);
  EXPECT_EQ(json(api.send("GET", "/api/v1/runs?limit=1", api.read_key))["runs"].Size(), 1u);
}

// `emitted` is only known once the fetch completes: a running run says how
// many issues were fetched so far (the dashboard showed "emitted 0" next to
// "applied 200" during a full sync).
TEST_F(PipelineRoutesTest, ARunningRunSaysWhatWasFetchedSoFar) {
  const auto run = add_run("WRKA", RunStatus::kRunning);
  RunStats fetching;
  fetching.fetched = 200;
  api.runs_.heartbeat(run.id, api.clock_.now_ms(), fetching);
  auto doc = json(api.send("GET", "/api/v1/runs/" + run.id, api.read_key));
  const auto& running = doc["run"];
  ASSERT_TRUE(running.HasMember("fetched") && running.HasMember("fetch_complete")) << run.id;
  EXPECT_EQ(running["fetched"].GetInt64(), 200);
  EXPECT_FALSE(running["fetch_complete"].GetBool());
  EXPECT_EQ(running["emitted"].GetInt64(), 0);

  api.runs_.mark_fetch_complete(run.id, 250, 0, fetching, api.clock_.now_ms());
  doc = json(api.send("GET", "/api/v1/runs/" + run.id, api.read_key));
  EXPECT_TRUE(doc["run"]["fetch_complete"].GetBool());
  EXPECT_EQ(doc["run"]["emitted"].GetInt64(), 250);
}

TEST_F(PipelineRoutesTest, RunsRefusesBadParameters) {
  for (const std::string bad : {"limit=0", "limit=1001", "limit=ten", "limit=5x"}) {
    const auto response = api.send("GET", "/api/v1/runs?" + bad, api.read_key);
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_EQ(error_parameter(response), "limit") << bad;
  }
  const auto project = api.send("GET", "/api/v1/runs?project=NOPE", api.read_key);
  EXPECT_EQ(project.status, 400);
  EXPECT_EQ(error_parameter(project), "project");
}

TEST_F(PipelineRoutesTest, OneRunAndAnUnknownOne) {
  const auto run = add_run("WRKA", RunStatus::kRunning);
  auto doc = json(api.send("GET", "/api/v1/runs/" + run.id, api.read_key));
  EXPECT_STREQ(doc["run"]["status"].GetString(), "running");
  EXPECT_EQ(doc["run"]["expected_total"].GetInt64(), 10);
  const auto missing = api.send("GET", "/api/v1/runs/r-nope", api.read_key);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "not_found");
  EXPECT_EQ(api.send("GET", "/api/v1/runs/r-nope/events", api.read_key).status, 404);
}

TEST_F(PipelineRoutesTest, EventsStreamProgressUntilTheRunEnds) {
  const auto run = add_run("WRKA", RunStatus::kRunning);
  auto response = api.send("GET", "/api/v1/runs/" + run.id + "/events", api.read_key);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/event-stream");
  EXPECT_THAT(response.body, HasSubstr("event: progress\ndata: {\"id\":\"" + run.id));
  ASSERT_TRUE(response.stream);
  std::string out;
  // Nothing changes: the stream waits (on the fake clock) and sends a comment.
  ASSERT_TRUE(response.stream(out));
  EXPECT_EQ(out, ": still running\n\n");
  out.clear();
  api.runs_.mark_fetch_complete(run.id, 0, 0, {}, api.clock_.now_ms());
  ASSERT_TRUE(response.stream(out));
  EXPECT_THAT(out, HasSubstr("event: progress\ndata: "));
  EXPECT_THAT(out, HasSubstr("\"status\":\"success\""));
  EXPECT_THAT(out, HasSubstr("event: end\n"));
  out.clear();
  EXPECT_FALSE(response.stream(out));
}

TEST_F(PipelineRoutesTest, EventsOfAFinishedRunEndAtOnce) {
  const auto run = add_run("WRKA", RunStatus::kSuccess);
  auto response = api.send("GET", "/api/v1/runs/" + run.id + "/events", api.read_key);
  EXPECT_THAT(response.body, HasSubstr("event: end\n"));
  EXPECT_FALSE(response.stream);
}

TEST_F(PipelineRoutesTest, SyncStartsARunAndPublishesItsJob) {
  const auto response =
      api.send("POST", "/api/v1/sync", api.admin_key, R"({"project":"WRKA","kind":"full"})");
  ASSERT_EQ(response.status, 202) << response.body;
  auto doc = json(response);
  ASSERT_EQ(doc["runs"].Size(), 1u);
  EXPECT_STREQ(doc["runs"][0]["project"].GetString(), "WRKA");
  EXPECT_TRUE(doc["runs"][0]["started"].GetBool());
  const std::string id = doc["runs"][0]["run_id"].GetString();
  ASSERT_EQ(api.producer_.records.size(), 1u);
  EXPECT_EQ(api.producer_.records[0].key, "WRKA");
  EXPECT_THAT(api.producer_.records[0].value, HasSubstr(id));
  const auto run = api.runs_.get_run(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->kind, JobKind::kFull);
  EXPECT_EQ(run->trigger, "api:operator");

  // Again while it is active: reported, not started.
  auto again = json(api.send("POST", "/api/v1/sync", api.admin_key, R"({"project":"WRKA"})"));
  EXPECT_FALSE(again["runs"][0]["started"].GetBool());
  EXPECT_STREQ(again["runs"][0]["run_id"].GetString(), id.c_str());
  // No project: every configured one.
  auto all = json(api.send("POST", "/api/v1/sync", api.admin_key, ""));
  EXPECT_EQ(all["runs"].Size(), 2u);
}

TEST_F(PipelineRoutesTest, SyncRefusesBadBodies) {
  struct Case {
    std::string body, code, parameter;
  };
  for (const auto& c : std::vector<Case>{{"{not json", "bad_body", ""},
                                         {"[1]", "bad_body", ""},
                                         {R"({"kind":"sideways"})", "bad_body", "kind"},
                                         {R"({"kind":1})", "bad_body", "kind"},
                                         {R"({"project":"NOPE"})", "bad_parameter", "project"}}) {
    const auto response = api.send("POST", "/api/v1/sync", api.admin_key, c.body);
    EXPECT_EQ(response.status, 400) << c.body;
    EXPECT_EQ(error_code(response), c.code) << c.body;
    EXPECT_EQ(error_parameter(response), c.parameter) << c.body;
  }
  EXPECT_TRUE(api.producer_.records.empty());
}

TEST_F(PipelineRoutesTest, RefreshByKeysMakesOneRunPerProject) {
  auto doc = json(api.send("POST", "/api/v1/refresh", api.admin_key,
                           R"({"keys":["WRKA-2","WRKB-1","WRKA-1","WRKA-2"]})"));
  ASSERT_EQ(doc["runs"].Size(), 2u);
  const auto run = api.runs_.get_run(doc["runs"][0]["run_id"].GetString());
  ASSERT_TRUE(run);
  EXPECT_EQ(run->kind, JobKind::kRefresh);
  EXPECT_EQ(run->keys, (std::vector<std::string>{"WRKA-1", "WRKA-2"}));
  EXPECT_EQ(api.producer_.records.size(), 2u);
}

TEST_F(PipelineRoutesTest, RefreshRefusesBadKeysAndBodies) {
  for (const std::string body :
       {R"({})", R"({"keys":[]})", R"({"keys":"WRKA-1"})", R"({"keys":[1]})",
        R"({"keys":["WRKA-1"],"jql":"project = WRKA"})", R"({"keys":["not a key"]})",
        R"({"keys":["NOPE-1"]})", R"({"jql":"project = = WRKA"})"}) {
    const auto response = api.send("POST", "/api/v1/refresh", api.admin_key, body);
    EXPECT_EQ(response.status, 400) << body;
  }
  EXPECT_EQ(error_parameter(api.send("POST", "/api/v1/refresh", api.admin_key,
                                     R"({"jql":"project = = WRKA"})")),
            "jql");
  EXPECT_TRUE(api.producer_.records.empty());
}

TEST_F(PipelineRoutesTest, RefreshByJqlOfNothingStartsNothing) {
  auto response = api.send("POST", "/api/v1/refresh", api.admin_key, R"({"jql":"project = WRKA"})");
  ASSERT_EQ(response.status, 202) << response.body;
  EXPECT_EQ(json(response)["runs"].Size(), 0u);
}

TEST_F(PipelineRoutesTest, RefreshOneIssue) {
  auto response = api.send("POST", "/api/v1/issues/WRKB-7/refresh", api.admin_key);
  ASSERT_EQ(response.status, 202) << response.body;
  const auto run = api.runs_.get_run(json(response)["runs"][0]["run_id"].GetString());
  ASSERT_TRUE(run);
  EXPECT_EQ(run->keys, std::vector<std::string>{"WRKB-7"});
  EXPECT_EQ(api.send("POST", "/api/v1/issues/bad-key/refresh", api.admin_key).status, 400);
  const auto unknown = api.send("POST", "/api/v1/issues/NOPE-1/refresh", api.admin_key);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(error_parameter(unknown), "key");
}

TEST_F(PipelineRoutesTest, LagInEmbeddedModeIsEmptyWithANote) {
  auto doc = json(api.send("GET", "/api/v1/lag", api.read_key));
  EXPECT_EQ(doc["groups"].Size(), 0u);
  EXPECT_THAT(doc["note"].GetString(), HasSubstr("inprocess"));
}

TEST_F(PipelineRoutesTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(api.send("GET", "/api/v1/nothing", api.read_key).status, 404);
  EXPECT_EQ(api.send("DELETE", "/api/v1/runs", api.admin_key).status, 405);
}

}  // namespace
}  // namespace jirasync
