#include "common/http/http_connection.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "tests/support/scripted_http_server.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using testing::json_reply;
using testing::RecordedRequest;
using testing::ScriptedHttpServer;
using testing::ScriptedReply;

HttpConnection connect_to(const ScriptedHttpServer& server, HttpConnectionOptions options = {}) {
  return HttpConnection(HttpsEndpoint::parse(server.base_url()), std::move(options));
}

HttpTransportError send_expecting_failure(HttpConnection& connection, const HttpRequest& request) {
  try {
    connection.send(request);
  } catch (const HttpTransportError& e) {
    return e;
  }
  ADD_FAILURE() << "send() succeeded but a transport error was expected";
  return HttpTransportError(HttpTransportError::Kind::kProtocol, "none");
}

TEST(HttpsEndpoint, ParsesHttpsWithDefaultPortAndPrefix) {
  auto endpoint = HttpsEndpoint::parse("https://example.atlassian.net/jira/");
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host, "example.atlassian.net");
  EXPECT_EQ(endpoint.port, "443");
  EXPECT_EQ(endpoint.path_prefix, "/jira");
  EXPECT_EQ(endpoint.host_header(), "example.atlassian.net");

  auto with_port = HttpsEndpoint::parse("HTTPS://jira.example.com:8443");
  EXPECT_EQ(with_port.port, "8443");
  EXPECT_EQ(with_port.path_prefix, "");
  EXPECT_EQ(with_port.host_header(), "jira.example.com:8443");
}

TEST(HttpsEndpoint, AcceptsPlainHttpOnlyToLoopback) {
  EXPECT_FALSE(HttpsEndpoint::parse("http://127.0.0.1:8080").tls);
  EXPECT_EQ(HttpsEndpoint::parse("http://127.3.4.5:1/x").host, "127.3.4.5");
  EXPECT_EQ(HttpsEndpoint::parse("http://localhost").port, "80");
  auto ipv6 = HttpsEndpoint::parse("http://[::1]:9000");
  EXPECT_EQ(ipv6.host, "::1");
  EXPECT_EQ(ipv6.authority(), "[::1]:9000");

  for (const std::string url : {"http://example.atlassian.net", "http://10.0.0.1:8080",
                                "http://128.0.0.1", "http://localhost.evil.com"}) {
    try {
      HttpsEndpoint::parse(url);
      ADD_FAILURE() << url << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr("loopback")) << url;
      EXPECT_THAT(e.what(), HasSubstr(url)) << url;
    }
  }
}

TEST(HttpsEndpoint, RejectsMalformedUrlsWithTheReason) {
  auto reason = [](const std::string& url) {
    try {
      HttpsEndpoint::parse(url);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_THAT(reason("example.atlassian.net"), HasSubstr("expected https://"));
  EXPECT_THAT(reason("ftp://example.com"), HasSubstr("scheme"));
  EXPECT_THAT(reason("https://"), HasSubstr("missing host"));
  EXPECT_THAT(reason("https://host:99999"), HasSubstr("port"));
  EXPECT_THAT(reason("https://host:abc"), HasSubstr("port"));
  EXPECT_THAT(reason("https://host:"), HasSubstr("empty port"));
  EXPECT_THAT(reason("https://me:secret@host"), HasSubstr("user info"));
  EXPECT_THAT(reason("https://host/x?y=1"), HasSubstr("query"));
  EXPECT_THAT(reason("http://::1:8080"), HasSubstr("brackets"));
}

TEST(HttpConnection, SendsRequestAndReadsResponse) {
  ScriptedHttpServer server([](const RecordedRequest&) {
    auto reply = json_reply(201, R"({"ok":true})");
    reply.headers.emplace_back("X-Trace", "abc");
    return reply;
  });
  HttpConnection connection(HttpsEndpoint::parse(server.base_url() + "/prefix"), {});
  HttpRequest request;
  request.method = "POST";
  request.target = "/rest/api/3/search/jql";
  request.headers["Content-Type"] = "application/json";
  request.body = R"({"jql":"project = A"})";

  auto response = connection.send(request);

  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.header("x-trace"), "abc");
  EXPECT_EQ(response.header("CONTENT-TYPE"), "application/json;charset=UTF-8");
  ASSERT_EQ(server.requests().size(), 1u);
  auto seen = server.requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/prefix/rest/api/3/search/jql");
  EXPECT_EQ(seen.body, request.body);
  EXPECT_EQ(seen.headers["host"], "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(seen.headers["content-type"], "application/json");
  EXPECT_EQ(seen.headers["content-length"], std::to_string(request.body.size()));
}

TEST(HttpConnection, ReusesOneConnectionForManyRequests) {
  ScriptedHttpServer server([](const RecordedRequest&) { return json_reply(200, "{}"); });
  auto connection = connect_to(server);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(connection.connections_opened(), 1);
}

TEST(HttpConnection, ReconnectsWhenThePeerClosedTheIdleConnection) {
  ScriptedHttpServer server([](const RecordedRequest&) {
    auto reply = json_reply(200, "{}");
    reply.close_after = true;  // as a server does when its idle timeout fires
    return reply;
  });
  auto connection = connect_to(server);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(HttpConnection, HonoursConnectionClose) {
  ScriptedHttpServer server([](const RecordedRequest&) {
    auto reply = json_reply(200, "{}");
    reply.headers.emplace_back("Connection", "close");
    reply.close_after = true;
    return reply;
  });
  auto connection = connect_to(server);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(connection.connections_opened(), 2);
}

TEST(HttpConnection, ReportsAConnectionClosedMidBody) {
  ScriptedHttpServer server([](const RecordedRequest&) {
    auto reply = json_reply(200, R"({"issues":[{"id":"1"},{"id":"2"}]})");
    reply.send_body_bytes = 10;
    return reply;
  });
  auto connection = connect_to(server);
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kReset);
  EXPECT_THAT(error.what(), HasSubstr("closed before the response was complete"));
  EXPECT_EQ(server.connections(), 1);  // a fresh connection is not silently retried
}

TEST(HttpConnection, TimesOutASlowResponse) {
  ScriptedHttpServer server([](const RecordedRequest&) {
    auto reply = json_reply(200, "{}");
    reply.delay_ms = 10000;
    return reply;
  });
  HttpConnectionOptions options;
  options.timeout_ms = 150;
  auto connection = connect_to(server, options);
  const auto started = std::chrono::steady_clock::now();
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kTimeout);
  EXPECT_THAT(error.what(), HasSubstr("timed out"));
  EXPECT_THAT(error.what(), HasSubstr("150 ms"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(HttpConnection, ReportsRefusedConnections) {
  namespace net = boost::asio;
  net::io_context ioc;
  net::ip::tcp::acceptor probe(ioc, {net::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();  // nothing listens there now
  HttpConnection connection(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port)), {});
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kConnect);
  EXPECT_THAT(error.what(), HasSubstr("connection refused"));
}

TEST(HttpConnection, CapsTheResponseBody) {
  ScriptedHttpServer server(
      [](const RecordedRequest&) { return json_reply(200, std::string(5000, 'x')); });
  HttpConnectionOptions options;
  options.max_body_bytes = 1000;
  auto connection = connect_to(server, options);
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kBodyTooLarge);
  EXPECT_THAT(error.what(), HasSubstr("1000 bytes"));
}

TEST(HttpConnection, SpeaksTlsToATrustedCertificate) {
  auto identity = testing::make_self_signed_identity("IP:127.0.0.1,DNS:localhost");
  ScriptedHttpServer server([](const RecordedRequest&) { return json_reply(200, "{}"); }, identity);
  HttpConnectionOptions options;
  options.extra_ca_pem = identity.certificate_pem;
  auto connection = connect_to(server, options);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(connection.send({}).status, 200);
  EXPECT_EQ(server.connections(), 1);

  HttpConnection by_name(HttpsEndpoint::parse("https://localhost:" + std::to_string(server.port())),
                         options);
  EXPECT_EQ(by_name.send({}).status, 200);
}

TEST(HttpConnection, RejectsAnUntrustedCertificate) {
  auto identity = testing::make_self_signed_identity("IP:127.0.0.1");
  ScriptedHttpServer server([](const RecordedRequest&) { return json_reply(200, "{}"); }, identity);
  auto connection = connect_to(server);
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kTls);
  EXPECT_THAT(error.what(), HasSubstr("certificate"));
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpConnection, RejectsACertificateForAnotherHost) {
  auto identity = testing::make_self_signed_identity("DNS:jira.example.com");
  ScriptedHttpServer server([](const RecordedRequest&) { return json_reply(200, "{}"); }, identity);
  HttpConnectionOptions options;
  options.extra_ca_pem = identity.certificate_pem;  // trusted, but names another host
  auto connection = connect_to(server, options);
  auto error = send_expecting_failure(connection, {});
  EXPECT_EQ(error.kind(), HttpTransportError::Kind::kTls);
  EXPECT_THAT(error.what(), HasSubstr("mismatch"));
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace jirasync
