// Hostile JSON over real HTTP: the control API mounted on a ServiceHttpServer, as
// the scheduler runs it, gets bodies that overflowed a recursive parser. Each
// must be answered, and the server must keep serving.
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <string>
#include <vector>

#include "common/clock/fake_clock.hpp"
#include "common/http/http_connection.hpp"
#include "common/http/service_http_server.hpp"
#include "services/scheduler/control_api.hpp"
#include "services/scheduler/control_api_test_support.hpp"

namespace jirasync {
namespace {

constexpr const char* kReadKey = "read-key";
constexpr const char* kAdminKey = "admin-key";

// Admits the two keys above by scope (the scheduler's main uses the API's
// KeyAccessCheck over the api_keys table).
class TwoKeys final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest& request, ApiScope needed,
                                     ApiCaller& caller) override {
    auto it = request.headers.find("authorization");
    const std::string sent = it == request.headers.end() ? "" : it->second;
    if (sent != std::string("Bearer ") + kReadKey && sent != std::string("Bearer ") + kAdminKey) {
      return RouteResponse::json(401, R"({"error":{"code":"unauthenticated"}})");
    }
    caller.scope = sent.ends_with(kAdminKey) ? ApiScope::kAdmin : ApiScope::kRead;
    if (needed == ApiScope::kAdmin && caller.scope != ApiScope::kAdmin) {
      return RouteResponse::json(403, R"({"error":{"code":"forbidden"}})");
    }
    return std::nullopt;
  }
};

// ~150 KB each: what crashed the scheduler with a stack overflow.
std::vector<std::string> hostile_bodies() {
  std::string objects;
  while (objects.size() < 150000) objects += R"({"a":)";
  std::string keys = R"({"project":"WRKA","kind":"refresh","keys":)";
  while (keys.size() < 150000) keys += '[';
  return {std::string(150000, '['), objects, keys, std::string(150000, '{')};
}

class ControlApiHttpTest : public ::testing::Test, protected testing::ControlApiWorld {
 protected:
  void SetUp() override {
    api.mount(server, access);
    server.start();
  }

  HttpResponse send(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& key = kAdminKey) {
    HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                          HttpConnectionOptions{});
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    request.headers["Content-Type"] = "application/json";
    if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
    return client.send(request);
  }

  TwoKeys access;
  prometheus::Registry registry;
  ServiceHttpServer server{registry, [] { return true; }};
};

TEST_F(ControlApiHttpTest, SyncAndRunsNeedAKeyTheWebhookDoesNot) {
  EXPECT_EQ(send("POST", "/api/sync", R"({"project":"WRKA"})", "").status, 401);
  EXPECT_EQ(send("POST", "/api/sync", R"({"project":"WRKA"})", "wrong").status, 401);
  EXPECT_EQ(send("POST", "/api/sync", R"({"project":"WRKA"})", kReadKey).status, 403);
  EXPECT_EQ(send("GET", "/api/runs", "", "").status, 401);
  EXPECT_EQ(send("GET", "/api/runs/nope", "", "").status, 401);
  EXPECT_TRUE(producer.records.empty());
  EXPECT_EQ(send("GET", "/api/runs", "", kReadKey).status, 200);
  EXPECT_EQ(send("POST", "/api/sync", R"({"project":"WRKA"})", kAdminKey).status, 202);
  // The webhook keeps its own check (the signature, none configured here).
  EXPECT_EQ(send("POST", "/api/webhook",
                 R"({"webhookEvent":"jira:issue_updated","issue":{"id":"1","key":"WRKA-1"}})", "")
                .status,
            202);
}

TEST_F(ControlApiHttpTest, EveryRouteAnswersHostileBodiesAndTheServerKeepsServing) {
  struct Route {
    const char* method;
    const char* target;
    int status;  // what a hostile body gets
  };
  const Route routes[] = {
      {"POST", "/api/sync", 400},        {"POST", "/api/webhook", 400},  {"GET", "/api/runs", 200},
      {"GET", "/api/runs?limit=5", 200}, {"GET", "/api/runs/nope", 404}, {"GET", "/healthz", 200},
      {"GET", "/readyz", 200},           {"GET", "/metrics", 200},
  };
  for (const std::string& body : hostile_bodies()) {
    for (const Route& route : routes) {
      const HttpResponse r = send(route.method, route.target, body);
      EXPECT_EQ(r.status, route.status) << route.method << " " << route.target << ": " << r.body;
      EXPECT_EQ(send("GET", "/healthz", "").status, 200)
          << "the server stopped serving after " << route.target;
    }
  }
  EXPECT_TRUE(producer.records.empty()) << "a hostile body started a run";
  // Still a working control API afterwards.
  EXPECT_EQ(send("POST", "/api/sync", R"({"project":"WRKA"})").status, 202);
}

}  // namespace
}  // namespace jirasync
