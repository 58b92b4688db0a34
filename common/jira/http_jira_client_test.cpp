#include "common/jira/http_jira_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <chrono>
#include <thread>

#include "common/clock/fake_clock.hpp"
#include "tests/support/scripted_http_server.hpp"

namespace jirasync {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::json_reply;
using ::testing::Not;
using testing::RecordedRequest;
using testing::ScriptedHttpServer;
using testing::ScriptedReply;

constexpr const char* kEmail = "dev@example.com";
constexpr const char* kToken = "tok-SECRET-123";
// base64("dev@example.com:tok-SECRET-123"), computed outside the code under test.
constexpr const char* kBasic = "ZGV2QGV4YW1wbGUuY29tOnRvay1TRUNSRVQtMTIz";

JiraSettings settings_for(const std::string& base_url) {
  JiraSettings settings;
  settings.base_url = base_url;
  settings.email = kEmail;
  settings.api_token = kToken;
  settings.timeout_ms = 5000;
  return settings;
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

class HttpJiraClientTest : public ::testing::Test {
 protected:
  // The fake Jira answers with whatever the test put in `next_`.
  HttpJiraClientTest()
      : server_([this](const RecordedRequest&) {
          std::lock_guard lock(mutex_);
          return next_;
        }) {}

  void reply_with(ScriptedReply reply) {
    std::lock_guard lock(mutex_);
    next_ = std::move(reply);
  }

  HttpJiraClient& client() {
    if (!client_) client_ = std::make_unique<HttpJiraClient>(settings_, clock_);
    return *client_;
  }

  template <class Call>
  JiraError expect_error(Call call) {
    try {
      call();
    } catch (const JiraError& e) {
      return e;
    }
    ADD_FAILURE() << "the call succeeded but a JiraError was expected";
    return JiraError("none", -1, false);
  }

  std::mutex mutex_;
  ScriptedReply next_ = json_reply(200, "{}");
  ScriptedHttpServer server_;
  FakeClock clock_{1'700'000'000'000};
  JiraSettings settings_ = settings_for(server_.base_url());
  std::unique_ptr<HttpJiraClient> client_;
};

TEST_F(HttpJiraClientTest, SearchPostsJqlWithAuthAndReadsAPage) {
  reply_with(json_reply(200, R"({"issues":[{"id":"10001","key":"A-1","fields":{"summary":"x"}},
      {"id":"10002","key":"A-2","fields":{}}],"nextPageToken":"page-2","isLast":false})"));
  SearchRequest request;
  request.jql = "project = A AND updated >= 1700000000000 ORDER BY updated ASC";
  request.fields = {"summary", "updated"};
  request.expand = {"changelog", "names"};
  request.max_results = 50;

  auto page = client().search(request);

  ASSERT_EQ(page.issues.size(), 2u);
  auto first = parse(page.issues[0].json);
  EXPECT_STREQ(first["key"].GetString(), "A-1");
  EXPECT_STREQ(first["fields"]["summary"].GetString(), "x");
  EXPECT_STREQ(parse(page.issues[1].json)["id"].GetString(), "10002");
  EXPECT_EQ(page.next_page_token, "page-2");
  EXPECT_FALSE(page.is_last);

  ASSERT_EQ(server_.requests().size(), 1u);
  auto seen = server_.requests()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/rest/api/3/search/jql");
  EXPECT_EQ(seen.headers["authorization"], std::string("Basic ") + kBasic);
  EXPECT_EQ(seen.headers["accept"], "application/json");
  EXPECT_EQ(seen.headers["content-type"], "application/json");
  auto body = parse(seen.body);
  EXPECT_EQ(std::string(body["jql"].GetString()), request.jql);
  EXPECT_EQ(body["maxResults"].GetInt(), 50);
  ASSERT_TRUE(body["fields"].IsArray());
  EXPECT_STREQ(body["fields"][1].GetString(), "updated");
  EXPECT_STREQ(body["expand"].GetString(), "changelog,names");
  EXPECT_FALSE(body.HasMember("nextPageToken"));
  EXPECT_EQ(client().api_calls(), 1);
}

TEST_F(HttpJiraClientTest, SearchSendsThePageTokenAndSeesTheLastPage) {
  reply_with(json_reply(200, R"({"issues":[],"isLast":true})"));
  SearchRequest request;
  request.jql = "project = A";
  request.next_page_token = "page-2";
  auto page = client().search(request);
  EXPECT_TRUE(page.issues.empty());
  EXPECT_TRUE(page.is_last);
  EXPECT_EQ(page.next_page_token, "");
  auto body = parse(server_.requests().at(0).body);
  EXPECT_STREQ(body["nextPageToken"].GetString(), "page-2");
  EXPECT_EQ(body["maxResults"].GetInt(), 100);
  EXPECT_FALSE(body.HasMember("expand"));
}

TEST_F(HttpJiraClientTest, SearchRejectsAPageThatIsNotLastButHasNoToken) {
  reply_with(json_reply(200, R"({"issues":[],"isLast":false})"));
  auto error = expect_error([&] { client().search({"project = A", {}, {}, 100, ""}); });
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("nextPageToken"));
}

TEST_F(HttpJiraClientTest, KeepsOneConnectionAlive) {
  reply_with(json_reply(200, R"({"issues":[],"isLast":true})"));
  for (int i = 0; i < 3; ++i) client().search({"project = A", {}, {}, 100, ""});
  EXPECT_EQ(server_.connections(), 1);
  EXPECT_EQ(client().api_calls(), 3);
}

TEST_F(HttpJiraClientTest, CallsMadeTogetherAreInFlightTogether) {
  constexpr int kCalls = 4, kDelayMs = 400;
  ScriptedReply slow = json_reply(200, R"({"count":1})");
  slow.delay_ms = kDelayMs;
  reply_with(slow);
  HttpJiraClient& c = client();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i)
    callers.emplace_back([&c] { c.approximate_count("project = A"); });
  for (auto& t : callers) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(server_.connections(), kCalls);
  // One after another they would take kCalls * kDelayMs.
  EXPECT_LT(elapsed, std::chrono::milliseconds((kCalls - 1) * kDelayMs));
  // Then the connections are reused, not opened anew.
  reply_with(json_reply(200, R"({"count":1})"));
  for (int i = 0; i < 3; ++i) c.approximate_count("project = A");
  EXPECT_EQ(server_.connections(), kCalls);
}

TEST_F(HttpJiraClientTest, BulkFetchReportsIssueErrors) {
  reply_with(json_reply(200, R"({"expand":"schema","issues":[{"id":"10005","key":"EX-1"}],
      "issueErrors":[{"id":"10006","errorMessage":"payload too large"},{"id":10007}]})"));
  auto result = client().bulk_fetch({"EX-1", "10006", "10007"}, {"*all"});
  ASSERT_EQ(result.issues.size(), 1u);
  EXPECT_STREQ(parse(result.issues[0].json)["key"].GetString(), "EX-1");
  EXPECT_THAT(result.missing, ElementsAre("10006", "10007"));

  auto seen = server_.requests().at(0);
  EXPECT_EQ(seen.target, "/rest/api/3/issue/bulkfetch");
  auto body = parse(seen.body);
  ASSERT_EQ(body["issueIdsOrKeys"].Size(), 3u);
  EXPECT_STREQ(body["issueIdsOrKeys"][0].GetString(), "EX-1");
  EXPECT_STREQ(body["fields"][0].GetString(), "*all");
}

TEST_F(HttpJiraClientTest, BulkFetchChecksTheBatchSizeLocally) {
  EXPECT_TRUE(client().bulk_fetch({}, {}).issues.empty());
  std::vector<std::string> too_many(101, "A-1");
  auto error = expect_error([&] { client().bulk_fetch(too_many, {}); });
  EXPECT_FALSE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("at most 100"));
  EXPECT_TRUE(server_.requests().empty());
}

TEST_F(HttpJiraClientTest, CountsAndIdentifies) {
  reply_with(json_reply(200, R"({"count":153})"));
  EXPECT_EQ(client().approximate_count("project = HSP"), 153);
  EXPECT_STREQ(parse(server_.requests().at(0).body)["jql"].GetString(), "project = HSP");
  EXPECT_EQ(server_.requests().at(0).target, "/rest/api/3/search/approximate-count");

  reply_with(json_reply(200, R"({"accountId":"5b10a2844c20165700ede21g","displayName":"Mia",
      "timeZone":"Australia/Sydney","active":true})"));
  auto me = client().myself();
  EXPECT_EQ(me.account_id, "5b10a2844c20165700ede21g");
  EXPECT_EQ(me.display_name, "Mia");
  EXPECT_EQ(me.time_zone, "Australia/Sydney");
  EXPECT_EQ(server_.requests().at(1).method, "GET");
  EXPECT_EQ(server_.requests().at(1).target, "/rest/api/3/myself");
}

TEST_F(HttpJiraClientTest, RateLimitIsRetryableWithRetryAfterSeconds) {
  auto reply = json_reply(429, R"({"errorMessages":["Rate limit exceeded"]})");
  reply.headers.emplace_back("Retry-After", "7");
  reply_with(reply);
  auto error = expect_error([&] { client().approximate_count("project = A"); });
  EXPECT_EQ(error.http_status(), 429);
  EXPECT_TRUE(error.retryable());
  EXPECT_EQ(error.retry_after_ms(), 7000);
}

TEST_F(HttpJiraClientTest, RateLimitReadsAnHttpDateRetryAfter) {
  auto reply = json_reply(429, "{}");
  reply.headers.emplace_back("Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT");  // now + 30 s
  reply_with(reply);
  auto error = expect_error([&] { client().approximate_count("project = A"); });
  EXPECT_EQ(error.retry_after_ms(), 30000);

  reply_with(json_reply(429, "{}"));  // no Retry-After: the caller's backoff decides
  EXPECT_EQ(expect_error([&] { client().approximate_count("x"); }).retry_after_ms(), std::nullopt);
}

TEST_F(HttpJiraClientTest, ServerErrorsAreRetryable) {
  for (int status : {500, 502, 503}) {
    reply_with(json_reply(status, R"({"message":"down for maintenance"})"));
    auto error = expect_error([&] { client().myself(); });
    EXPECT_EQ(error.http_status(), status);
    EXPECT_TRUE(error.retryable()) << status;
    EXPECT_THAT(error.what(), HasSubstr("HTTP " + std::to_string(status)));
    EXPECT_THAT(error.what(), HasSubstr("down for maintenance"));
  }
}

// Issue 8.7: Jira (and the proxies in front of it) send Retry-After with a
// 503 during maintenance; only 429 used to honour it.
TEST_F(HttpJiraClientTest, ServiceUnavailableHonoursRetryAfter) {
  auto reply = json_reply(503, R"({"message":"down for maintenance"})");
  reply.headers.emplace_back("Retry-After", "12");
  reply_with(reply);
  auto error = expect_error([&] { client().approximate_count("project = A"); });
  EXPECT_EQ(error.http_status(), 503);
  EXPECT_TRUE(error.retryable());
  EXPECT_EQ(error.retry_after_ms(), 12000);
  EXPECT_THAT(error.what(), HasSubstr("Retry-After 12000 ms"));

  reply = json_reply(503, "{}");
  reply.headers.emplace_back("Retry-After", "soon");
  reply_with(reply);
  error = expect_error([&] { client().approximate_count("project = A"); });
  EXPECT_EQ(error.retry_after_ms(), std::nullopt);  // the caller's backoff decides
  EXPECT_THAT(error.what(), HasSubstr("unreadable Retry-After 'soon'"));
}

TEST_F(HttpJiraClientTest, UnusableBodiesAreRetryable) {
  ScriptedReply html;
  html.headers = {{"Content-Type", "text/html"}};
  html.body = "<html>Service Unavailable</html>";
  reply_with(html);
  auto error = expect_error([&] { client().myself(); });
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("expected application/json, got 'text/html'"));

  reply_with(json_reply(200, R"({"issues":[{"id":"1"})"));
  error = expect_error([&] { client().search({"project = A", {}, {}, 100, ""}); });
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("malformed JSON"));

  reply_with(json_reply(200, R"({"values":[]})"));
  error = expect_error([&] { client().search({"project = A", {}, {}, 100, ""}); });
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("missing `issues`"));

  reply_with(json_reply(200, R"({"issues":[42],"isLast":true})"));
  error = expect_error([&] { client().search({"project = A", {}, {}, 100, ""}); });
  EXPECT_THAT(error.what(), HasSubstr("issues[0] is not an object"));
}

TEST_F(HttpJiraClientTest, AConnectionClosedMidBodyIsRetryable) {
  auto reply = json_reply(200, R"({"issues":[{"id":"1"},{"id":"2"}],"isLast":true})");
  reply.send_body_bytes = 12;
  reply_with(reply);
  auto error = expect_error([&] { client().search({"project = A", {}, {}, 100, ""}); });
  EXPECT_EQ(error.http_status(), 0);
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("closed before the response was complete"));

  reply_with(json_reply(200, R"({"issues":[],"isLast":true})"));
  EXPECT_TRUE(client().search({"project = A", {}, {}, 100, ""}).is_last);  // recovers
}

TEST_F(HttpJiraClientTest, ATimeoutIsRetryable) {
  settings_.timeout_ms = 150;
  auto reply = json_reply(200, "{}");
  reply.delay_ms = 10000;
  reply_with(reply);
  auto error = expect_error([&] { client().myself(); });
  EXPECT_TRUE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("timed out"));
}

TEST_F(HttpJiraClientTest, RejectedCredentialsNameTheEmailButNeverTheToken) {
  for (int status : {401, 403}) {
    // A hostile or buggy proxy echoing the credentials back must not leak them.
    reply_with(json_reply(status, std::string(R"({"errorMessages":["bad auth: Basic )") + kBasic +
                                      " token=" + kToken + R"("]})"));
    auto error = expect_error([&] { client().myself(); });
    const std::string message = error.what();
    EXPECT_FALSE(error.retryable());
    EXPECT_EQ(error.http_status(), status);
    EXPECT_THAT(message, HasSubstr(std::string("Jira rejected the credentials for ") + kEmail +
                                   " (HTTP " + std::to_string(status) + ")"));
    EXPECT_THAT(message, Not(HasSubstr(kToken)));
    EXPECT_THAT(message, Not(HasSubstr(kBasic)));
  }
}

TEST_F(HttpJiraClientTest, BadRequestCarriesJirasExplanation) {
  reply_with(json_reply(
      400, R"({"errorMessages":["The value 'NOPE' does not exist for the field 'project'."],
      "errors":{"jql":"Error in the JQL Query"}})"));
  auto error = expect_error([&] { client().search({"project = NOPE", {}, {}, 100, ""}); });
  EXPECT_FALSE(error.retryable());
  EXPECT_EQ(error.http_status(), 400);
  EXPECT_THAT(error.what(), HasSubstr("The value 'NOPE' does not exist"));
  EXPECT_THAT(error.what(), HasSubstr("jql: Error in the JQL Query"));
}

TEST_F(HttpJiraClientTest, NotFoundIsNotRetryable) {
  reply_with(json_reply(404, R"({"errorMessages":["No such endpoint"]})"));
  auto error = expect_error([&] { client().myself(); });
  EXPECT_FALSE(error.retryable());
  EXPECT_THAT(error.what(), HasSubstr("No such endpoint"));
}

TEST(HttpJiraClient, RefusesPlainHttpToARemoteHost) {
  FakeClock clock;
  try {
    HttpJiraClient client(settings_for("http://example.atlassian.net"), clock);
    ADD_FAILURE() << "plain http to a remote host accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.base_url");
    EXPECT_THAT(e.what(), HasSubstr("loopback"));
  }
}

TEST(HttpJiraClient, NeedsBothEmailAndTokenOrNeither) {
  FakeClock clock;
  auto settings = settings_for("https://example.atlassian.net");
  settings.api_token = "";
  try {
    HttpJiraClient client(settings, clock);
    ADD_FAILURE() << "email without a token accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.api_token");
  }
  settings.email = "";
  EXPECT_NO_THROW(HttpJiraClient(settings, clock));  // anonymous access to a public site
  settings.timeout_ms = 0;
  try {
    HttpJiraClient client(settings, clock);
    ADD_FAILURE() << "timeout 0 accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.timeout_ms");
  }
}

TEST(HttpJiraClient, AnonymousRequestsCarryNoAuthorization) {
  ScriptedHttpServer server(
      [](const RecordedRequest&) { return json_reply(200, R"({"accountId":"anon"})"); });
  FakeClock clock;
  auto settings = settings_for(server.base_url());
  settings.email = "";
  settings.api_token = "";
  HttpJiraClient client(settings, clock);
  EXPECT_EQ(client.myself().account_id, "anon");
  EXPECT_EQ(server.requests().at(0).headers.count("authorization"), 0u);
}

TEST(HttpJiraClient, SpeaksTlsToATrustedServer) {
  auto identity = testing::make_self_signed_identity("IP:127.0.0.1");
  ScriptedHttpServer server(
      [](const RecordedRequest&) { return json_reply(200, R"({"count":5})"); }, identity);
  FakeClock clock;
  HttpConnectionOptions options;
  options.extra_ca_pem = identity.certificate_pem;
  HttpJiraClient trusting(settings_for(server.base_url()), clock, options);
  EXPECT_EQ(trusting.approximate_count("project = A"), 5);

  HttpJiraClient strict(settings_for(server.base_url()), clock);  // system store only
  try {
    strict.approximate_count("project = A");
    ADD_FAILURE() << "an untrusted certificate was accepted";
  } catch (const JiraError& e) {
    EXPECT_THAT(e.what(), HasSubstr("TLS"));
  }
}

}  // namespace
}  // namespace jirasync
