#include "common/http/service_http_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <atomic>

#include "common/http/http_connection.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;

class ServiceHttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.start(); }

  HttpResponse get(const std::string& target, const std::string& method = "GET",
                   const std::string& body = "") {
    if (!client_) {
      client_ = std::make_unique<HttpConnection>(
          HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server_.port())),
          HttpConnectionOptions{});
    }
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    return client_->send(request);
  }

  prometheus::Registry registry_;
  std::atomic<bool> ready_{false};
  ServiceHttpServer server_{registry_, [this] { return ready_.load(); }};
  std::unique_ptr<HttpConnection> client_;
};

TEST_F(ServiceHttpServerTest, ListensOnAChosenLoopbackPort) {
  EXPECT_NE(server_.port(), 0);
  EXPECT_EQ(server_.bound_address(), "127.0.0.1:" + std::to_string(server_.port()));
}

TEST_F(ServiceHttpServerTest, AnswersHealthz) {
  auto response = get("/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok\n");
}

TEST_F(ServiceHttpServerTest, ReadyzFollowsTheReadinessCallback) {
  EXPECT_EQ(get("/readyz").status, 503);
  ready_ = true;
  EXPECT_EQ(get("/readyz").status, 200);
  ready_ = false;
  EXPECT_EQ(get("/readyz").status, 503);
  EXPECT_EQ(client_->connections_opened(), 1);  // keep-alive across requests
}

TEST_F(ServiceHttpServerTest, ExposesRegisteredMetrics) {
  auto& family = prometheus::BuildCounter()
                     .Name("jirasync_test_requests_total")
                     .Help("Requests seen by the test")
                     .Register(registry_);
  family.Add({{"role", "fetcher"}}).Increment(3);

  auto response = get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.header("content-type").value_or(""), HasSubstr("text/plain"));
  EXPECT_THAT(response.body, HasSubstr("# TYPE jirasync_test_requests_total counter"));
  EXPECT_THAT(response.body, HasSubstr("jirasync_test_requests_total{role=\"fetcher\"} 3"));
}

TEST_F(ServiceHttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  auto missing = get("/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body, HasSubstr("/nope"));
  auto wrong = get("/healthz", "POST");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "GET");
  EXPECT_EQ(get("/healthzzz").status, 404);  // a prefix is matched at a '/' boundary
}

TEST(ServiceHttpServer, BeforeScrapeHooksRunAtEachMetricsAnswer) {
  prometheus::Registry registry;
  auto& scrapes = prometheus::BuildCounter()
                      .Name("jirasync_test_scrapes_total")
                      .Help("Scrapes seen by the hook")
                      .Register(registry)
                      .Add({});
  ServiceHttpServer server(registry, nullptr);
  server.before_scrape([&scrapes] { scrapes.Increment(); });
  server.start();
  HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        HttpConnectionOptions{});
  HttpRequest request;
  request.target = "/metrics";
  EXPECT_THAT(client.send(request).body, HasSubstr("jirasync_test_scrapes_total 1"));
  EXPECT_THAT(client.send(request).body, HasSubstr("jirasync_test_scrapes_total 2"));
  request.target = "/healthz";
  client.send(request);
  EXPECT_EQ(scrapes.Value(), 2) << "only /metrics runs the hooks";
  EXPECT_THROW(server.before_scrape([] {}), std::logic_error);
}

TEST(ServiceHttpServer, ReadinessHandlerAnswersReadyzWithItsStatusAndBody) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  server.set_readiness([](const RouteRequest&) {
    return RouteResponse::json(503, R"({"ready":false,"kafka":"no answer for 21 s"})");
  });
  server.start();
  EXPECT_THROW(server.set_readiness(nullptr), std::logic_error);
  HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        {});
  auto response = client.send({"GET", "/readyz", {}, ""});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.body, R"({"ready":false,"kafka":"no answer for 21 s"})");
  EXPECT_EQ(response.header("content-type"), "application/json");
  EXPECT_EQ(client.send({"GET", "/healthz", {}, ""}).status, 200);  // liveness stays apart
}

TEST(ServiceHttpServer, ServesRoutesAddedByTheOwner) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  std::vector<RouteRequest> seen;
  server.add_route("POST", "/api/v1/runs", [&seen](const RouteRequest& request) {
    seen.push_back(request);
    return RouteResponse::json(202, R"({"run":"r-1"})");
  });
  server.add_route("POST", "/api/v1/runs/cancel", [](const RouteRequest&) {
    return RouteResponse::json(200, R"({"cancelled":true})");
  });
  server.add_route("GET", "/api/v1/boom",
                   [](const RouteRequest&) -> RouteResponse { throw std::runtime_error("kaput"); });
  server.start();
  HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        {});

  HttpRequest trigger{"POST", "/api/v1/runs/PROJ?mode=full", {{"X-Who", "ci"}}, R"({"a":1})"};
  auto response = client.send(trigger);
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, R"({"run":"r-1"})");
  EXPECT_EQ(response.header("content-type"), "application/json");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "/api/v1/runs/PROJ");
  EXPECT_EQ(seen[0].query, "mode=full");
  EXPECT_EQ(seen[0].headers["x-who"], "ci");
  EXPECT_EQ(seen[0].body, R"({"a":1})");

  EXPECT_EQ(client.send({"POST", "/api/v1/runs/cancel", {}, ""}).body, R"({"cancelled":true})");
  auto boom = client.send({"GET", "/api/v1/boom", {}, ""});
  EXPECT_EQ(boom.status, 500);
  EXPECT_THAT(boom.body, HasSubstr("kaput"));
  EXPECT_EQ(client.send({"GET", "/healthz", {}, ""}).status, 200);  // ready by default
  EXPECT_EQ(client.send({"GET", "/readyz", {}, ""}).status, 200);   // no callback: ready
}

TEST(ServiceHttpServer, RejectsOversizedRequests) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.max_request_bytes = 100;
  ServiceHttpServer server(registry, nullptr, options);
  server.add_route("POST", "/echo",
                   [](const RouteRequest& r) { return RouteResponse::text(200, r.body); });
  server.start();
  HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        {});
  EXPECT_EQ(client.send({"POST", "/echo", {}, std::string(50, 'a')}).status, 200);
  auto response = client.send({"POST", "/echo", {}, std::string(500, 'a')});
  EXPECT_EQ(response.status, 413);
  EXPECT_THAT(response.body, HasSubstr("100 bytes"));
}

TEST(ServiceHttpServer, ReportsBadListenAddresses) {
  prometheus::Registry registry;
  for (const std::string listen : {"127.0.0.1", "127.0.0.1:http", "nohost.example:80", ":80"}) {
    ServiceHttpServer server(registry, nullptr, {listen});
    try {
      server.start();
      ADD_FAILURE() << listen << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(listen));
    }
  }
}

TEST(ServiceHttpServer, ReportsAPortAlreadyInUse) {
  prometheus::Registry registry;
  ServiceHttpServer first(registry, nullptr);
  first.start();
  ServiceHttpServer second(registry, nullptr, {"127.0.0.1:" + std::to_string(first.port())});
  try {
    second.start();
    ADD_FAILURE() << "two servers bound one port";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
  }
}

TEST(ServiceHttpServer, StopClosesThePortAndOpenConnections) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  server.start();
  const auto endpoint = HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port()));
  HttpConnectionOptions options;
  options.timeout_ms = 2000;  // a regression fails fast instead of hanging
  HttpConnection kept_alive(endpoint, options);
  EXPECT_EQ(kept_alive.send({}).status, 404);
  server.stop();
  server.stop();
  EXPECT_THROW(kept_alive.send({}), HttpTransportError);
  HttpConnection fresh(endpoint, options);
  try {
    fresh.send({});
    ADD_FAILURE() << "a stopped server answered";
  } catch (const HttpTransportError& e) {
    EXPECT_EQ(e.kind(), HttpTransportError::Kind::kConnect) << e.what();
  }
  EXPECT_THROW(server.start(), std::logic_error);
}

}  // namespace
}  // namespace jirasync
