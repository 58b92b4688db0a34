// Streamed responses and handler threads of the ServiceHttpServer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <future>
#include <memory>

#include "common/http/http_connection.hpp"
#include "common/http/service_http_server.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;

HttpConnection client_of(const ServiceHttpServer& server) {
  HttpConnectionOptions options;
  options.timeout_ms = 5000;  // a regression fails instead of hanging
  return HttpConnection(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        options);
}

TEST(ServiceHttpServerStream, SendsTheBodyAndThenEveryPieceOfTheStream) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  server.add_route("GET", "/events", [](const RouteRequest&) {
    RouteResponse response;
    response.content_type = "text/event-stream";
    response.body = "first\n";
    auto left = std::make_shared<int>(3);
    response.stream = [left](std::string& out) {
      if (*left == 0) return false;
      out += "piece" + std::to_string((*left)--) + "\n";
      return true;
    };
    return response;
  });
  server.start();
  auto client = client_of(server);
  auto response = client.send({"GET", "/events", {}, ""});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/event-stream");
  EXPECT_EQ(response.body, "first\npiece3\npiece2\npiece1\n");
  // Chunked: the connection stays usable after the stream ends.
  EXPECT_EQ(client.send({"GET", "/healthz", {}, ""}).status, 200);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST(ServiceHttpServerStream, AStreamWaitingForItsNextPieceDoesNotHoldOtherRequests) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  std::promise<void> release;
  auto released = release.get_future().share();
  server.add_route("GET", "/events", [released](const RouteRequest&) {
    RouteResponse response;
    response.body = "waiting\n";
    auto done = std::make_shared<bool>(false);
    response.stream = [released, done](std::string& out) {
      if (*done) return false;
      released.wait();
      out += "released\n";
      *done = true;
      return true;
    };
    return response;
  });
  server.start();
  auto streamed = std::async(std::launch::async, [&server] {
    auto client = client_of(server);
    return client.send({"GET", "/events", {}, ""});
  });
  auto other = client_of(server);
  EXPECT_EQ(other.send({"GET", "/healthz", {}, ""}).status, 200);
  release.set_value();
  EXPECT_EQ(streamed.get().body, "waiting\nreleased\n");
}

TEST(ServiceHttpServerStream, ASlowHandlerDoesNotStallOtherConnections) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.handler_threads = 2;
  ServiceHttpServer server(registry, nullptr, options);
  std::promise<void> release;
  auto released = release.get_future().share();
  server.add_route("GET", "/slow", [released](const RouteRequest&) {
    released.wait();
    return RouteResponse::text(200, "slow\n");
  });
  server.start();
  auto slow = std::async(std::launch::async, [&server] {
    auto client = client_of(server);
    return client.send({"GET", "/slow", {}, ""});
  });
  auto other = client_of(server);
  // Polls until the slow request is surely in its handler: /healthz answers
  // every time meanwhile.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(other.send({"GET", "/healthz", {}, ""}).status, 200);
  release.set_value();
  EXPECT_EQ(slow.get().body, "slow\n");
}

TEST(ServiceHttpServerStream, AStreamThatThrowsEndsItsResponse) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  server.add_route("GET", "/events", [](const RouteRequest&) {
    RouteResponse response;
    response.body = "start\n";
    response.stream = [](std::string&) -> bool { throw std::runtime_error("gone"); };
    return response;
  });
  server.start();
  auto client = client_of(server);
  EXPECT_EQ(client.send({"GET", "/events", {}, ""}).body, "start\n");
}

TEST(ServiceHttpServerStream, StopEndsOpenStreams) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  std::atomic<int> calls{0};
  server.add_route("GET", "/events", [&calls](const RouteRequest&) {
    RouteResponse response;
    response.body = "start\n";
    response.stream = [&calls](std::string& out) {
      ++calls;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // a stream that waits a while
      out += ".";
      return true;
    };
    return response;
  });
  server.start();
  auto streamed = std::async(std::launch::async, [&server] {
    auto client = client_of(server);
    try {
      client.send({"GET", "/events", {}, ""});
    } catch (const HttpTransportError&) {
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (calls.load() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_GE(calls.load(), 3);
  server.stop();  // returns although the stream never ends by itself
  EXPECT_EQ(streamed.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

}  // namespace
}  // namespace jirasync
