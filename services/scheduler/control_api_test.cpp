#include "services/scheduler/control_api.hpp"

#include <gtest/gtest.h>

#include "common/clock/fake_clock.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/fakes/recording_producer.hpp"

namespace jirasync {
namespace {

class ControlApiTest : public ::testing::Test {
 protected:
  RouteResponse post(const std::string& path, const std::string& body) {
    RouteRequest r;
    r.method = "POST";
    r.path = r.target = path;
    r.body = body;
    return path == "/api/sync" ? api.sync(r) : api.webhook(r);
  }
  FakeClock clock;
  fakes::FakeRunStore runs;
  fakes::RecordingProducer producer;
  SyncTrigger trigger{runs, producer, "t.jobs", clock};
  ControlApi api{trigger, runs, {"WRKA"}};
};

TEST_F(ControlApiTest, SyncStartsARunAndReportsABusyProject) {
  auto first = post("/api/sync", R"({"project":"WRKA","kind":"full"})");
  EXPECT_EQ(first.status, 202);
  EXPECT_NE(first.body.find("\"kind\":\"full\""), std::string::npos);
  auto second = post("/api/sync", R"({"project":"WRKA"})");
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(producer.records.size(), 1u);
}

TEST_F(ControlApiTest, BadRequestsNameTheField) {
  EXPECT_NE(post("/api/sync", "{").body.find("body"), std::string::npos);
  EXPECT_EQ(post("/api/sync", R"({"kind":"full"})").status, 400);
  EXPECT_EQ(post("/api/sync", R"({"project":"NOPE"})").status, 404);
  auto bad_kind = post("/api/sync", R"({"project":"WRKA","kind":"sometimes"})");
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_NE(bad_kind.body.find("kind"), std::string::npos);
  EXPECT_EQ(post("/api/sync", R"({"project":"WRKA","kind":"refresh"})").status, 400);
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(ControlApiTest, WebhookRefreshesTheIssueKey) {
  auto r = post("/api/webhook",
                R"({"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"WRKA-7"}})");
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(producer.records.size(), 1u);
  auto job = decode_sync_job(producer.records[0].value);
  EXPECT_EQ(job.kind, JobKind::kRefresh);
  EXPECT_EQ(job.keys, std::vector<std::string>{"WRKA-7"});
  EXPECT_EQ(post("/api/webhook", R"({"issue":{"key":"OTHER-1"}})").status, 202);
  EXPECT_EQ(producer.records.size(), 1u);  // unconfigured project ignored
}

}  // namespace
}  // namespace jirasync
