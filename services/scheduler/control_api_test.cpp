#include "services/scheduler/control_api.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <prometheus/registry.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <sstream>

#include "common/clock/fake_clock.hpp"
#include "common/http/http_connection.hpp"
#include "services/scheduler/control_api_test_support.hpp"
#include "services/scheduler/webhook_signature.hpp"

namespace jirasync {
namespace {

class ControlApiTest : public ::testing::Test, protected testing::ControlApiWorld {};

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

RouteResponse delivery(ControlApi& api, const std::string& id, const std::string& body) {
  RouteRequest r;
  r.method = "POST";
  r.path = r.target = "/api/webhook";
  r.body = body;
  r.headers["x-atlassian-webhook-identifier"] = id;
  return api.webhook(r);
}

TEST_F(ControlApiTest, WebhooksForABusyProjectAreQueuedNotDropped) {
  ASSERT_EQ(post("/api/sync", R"({"project":"WRKA","kind":"full"})").status, 202);
  for (int i = 1; i <= 3; ++i) {
    const auto r =
        delivery(api, "d" + std::to_string(i),
                 R"({"webhookEvent":"jira:issue_updated","issue":{"id":"1000)" + std::to_string(i) +
                     R"(","key":"WRKA-)" + std::to_string(i) + R"("}})");
    EXPECT_EQ(r.status, 202);
    EXPECT_NE(r.body.find(R"("queued":true,"started":false)"), std::string::npos) << r.body;
  }
  EXPECT_EQ(producer.records.size(), 1u) << "only the full sync's job";
  const auto queued = inbox.queued("WRKA", 10);
  ASSERT_EQ(queued.size(), 3u);
  EXPECT_EQ(queued[0].key, "WRKA-1");
}

TEST_F(ControlApiTest, AReplayedDeliveryStartsNothing) {
  const std::string body =
      R"({"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"WRKA-7"}})";
  EXPECT_NE(delivery(api, "abc-1", body).body.find(R"("started":true)"), std::string::npos);
  runs.mark_running(decode_sync_job(producer.records[0].value).run_id, clock.now_ms(), 0);
  runs.mark_fetch_complete(decode_sync_job(producer.records[0].value).run_id, 0, 0, {},
                           clock.now_ms());
  const auto again = delivery(api, "abc-1", body);
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, R"({"replay":true})");
  EXPECT_EQ(producer.records.size(), 1u);
  EXPECT_TRUE(inbox.waiting_projects().empty());
}

TEST_F(ControlApiTest, ADeletionIsRefreshedByIdSoTheFetcherCanVerifyIt) {
  const auto r =
      post("/api/webhook",
           R"({"webhookEvent":"jira:issue_deleted","issue":{"id":"10009","key":"WRKA-9"}})");
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(producer.records.size(), 1u);
  EXPECT_EQ(decode_sync_job(producer.records[0].value).keys, std::vector<std::string>{"10009"});
  EXPECT_EQ(
      post("/api/webhook", R"({"webhookEvent":"jira:issue_deleted","issue":{"key":"WRKA-9"}})")
          .status,
      400);
  EXPECT_EQ(post("/api/webhook",
                 R"({"webhookEvent":"jira:issue_deleted","issue":{"id":"x1","key":"WRKA-9"}})")
                .status,
            400);
}

RouteResponse get_runs(ControlApi& api, const std::string& query) {
  RouteRequest r;
  r.method = "GET";
  r.path = "/api/runs";
  r.query = query;
  r.target = "/api/runs?" + query;
  return api.runs(r);
}

TEST_F(ControlApiTest, RunsLimitMustBeFromOneToAThousand) {
  for (const char* bad : {"limit=0", "limit=", "limit=-1", "limit=abc", "limit=1001", "limit=99999",
                          "limit=999999999999", "project=WRKA&limit=0"}) {
    const auto r = get_runs(api, bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(r.body.find("limit: expected a whole number from 1 to 1000"), std::string::npos)
        << bad << ": " << r.body;
  }
  for (const char* good : {"", "limit=1", "limit=1000", "project=WRKA"}) {
    EXPECT_EQ(get_runs(api, good).status, 200) << good;
  }
}

TEST_F(ControlApiTest, RefreshKeysMustBeIssueKeysOfTheProject) {
  auto refresh = [&](const std::string& keys) {
    return post("/api/sync", R"({"project":"WRKA","kind":"refresh","keys":)" + keys + "}");
  };
  const std::pair<const char*, const char*> refused[] = {
      {R"(["wrka-1"])", "keys[0]: 'wrka-1' is not an issue key like WRKA-123"},
      {R"(["WRKA-7","WRKA-01"])", "keys[1]: 'WRKA-01' is not an issue key like WRKA-123"},
      {R"(["WRKA-"])", "keys[0]: 'WRKA-' is not an issue key like WRKA-123"},
      {R"(["WRKA-7 OR 1=1"])", "keys[0]: 'WRKA-7 OR 1=1' is not an issue key like WRKA-123"},
      {R"(["-7"])", "keys[0]: '-7' is not an issue key like WRKA-123"},
      {R"([7])", "keys[0]: expected an issue key like WRKA-123"},
      {R"(["OTHER-1"])", "keys[0]: OTHER-1 is not in project WRKA"},
      {R"(["WRKA2-1"])", "keys[0]: WRKA2-1 is not in project WRKA"},
  };
  for (const auto& [keys, message] : refused) {
    const auto r = refresh(keys);
    EXPECT_EQ(r.status, 400) << keys;
    EXPECT_NE(r.body.find(message), std::string::npos) << keys << ": " << r.body;
  }
  EXPECT_TRUE(producer.records.empty());
  EXPECT_EQ(refresh(R"(["WRKA-7","WRKA-1234567"])").status, 202);
  ASSERT_EQ(producer.records.size(), 1u);
  EXPECT_EQ(decode_sync_job(producer.records[0].value).keys,
            (std::vector<std::string>{"WRKA-7", "WRKA-1234567"}));
}

TEST_F(ControlApiTest, WebhookKeyMustBeAnIssueKey) {
  for (const char* key : {"WRKA", "WRKA-", "WRKA-x", "wrka-7", "WRKA-7-"}) {
    const auto r = post("/api/webhook", std::string(R"({"issue":{"key":")") + key + R"("}})");
    EXPECT_EQ(r.status, 400) << key;
    EXPECT_NE(r.body.find("issue.key: '"), std::string::npos) << key << ": " << r.body;
  }
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(ControlApiTest, HostileBodiesAreRefusedNotParsedRecursively) {
  std::string objects;
  for (int i = 0; i < 30000; ++i) objects += R"({"a":)";
  for (const std::string& body : {std::string(150000, '['), objects}) {
    for (const char* path : {"/api/sync", "/api/webhook"}) {
      const auto r = post(path, body);
      EXPECT_EQ(r.status, 400) << path;
      EXPECT_NE(r.body.find("body: JSON nested deeper than 512 levels"), std::string::npos)
          << path << ": " << r.body;
    }
  }
  // A NUL hides what follows from a parser that stops there.
  const auto nul = post(
      "/api/webhook", std::string(R"({"issue":{"key":"WRKA-7"}})") + std::string(1, '\0') + "junk");
  EXPECT_EQ(nul.status, 400);
  EXPECT_TRUE(producer.records.empty());
}

// Signed webhooks. Decisions: the hex digits may be upper or lower case (the
// same digest; Jira sends lower case); the `sha256=` prefix must be exactly
// Jira's; anything else is malformed. Every refusal is a 401.

constexpr const char* kSecret = "whsec-Jirasync-Test-0042";
const std::string kUpdated =
    R"({"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"WRKA-7"}})";

// Computed here with OpenSSL directly, not through the code under test.
std::string hub_signature(const std::string& secret, const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return "sha256=" + hex;
}

std::string upper_hex(std::string signature) {
  for (size_t i = std::string("sha256=").size(); i < signature.size(); ++i) {
    if (signature[i] >= 'a' && signature[i] <= 'f')
      signature[i] = static_cast<char>(signature[i] - 32);
  }
  return signature;
}

// Lines logged while it lives, unredacted, so a leak would show.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() {
    spdlog::default_logger()->flush();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

// Refuses every key: the webhook routes these tests use need none.
class NoKeys final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest&, ApiScope, ApiCaller&) override {
    return RouteResponse::json(401, R"({"error":{"code":"unauthenticated"}})");
  }
};

class SignedWebhookTest : public ControlApiTest {
 protected:
  RouteResponse deliver(const std::string& body, std::optional<std::string> signature) {
    RouteRequest r;
    r.method = "POST";
    r.path = r.target = "/api/webhook";
    r.body = body;
    // The ServiceHttpServer lower-cases header names.
    if (signature) r.headers["x-hub-signature"] = *signature;
    return signed_api.webhook(r);
  }
  ControlApi signed_api{trigger, runs, webhooks, {"WRKA"}, kSecret};
  NoKeys no_keys;
};

TEST_F(SignedWebhookTest, GoodSignatureRefreshesTheKey) {
  auto r = deliver(kUpdated, hub_signature(kSecret, kUpdated));
  EXPECT_EQ(r.status, 202) << r.body;
  ASSERT_EQ(producer.records.size(), 1u);
  EXPECT_EQ(decode_sync_job(producer.records[0].value).keys, std::vector<std::string>{"WRKA-7"});
}

TEST_F(SignedWebhookTest, UpperCaseHexIsTheSameDigest) {
  const std::string upper = upper_hex(hub_signature(kSecret, kUpdated));
  ASSERT_NE(upper, hub_signature(kSecret, kUpdated));
  EXPECT_EQ(deliver(kUpdated, upper).status, 202);
  EXPECT_EQ(producer.records.size(), 1u);
}

TEST_F(SignedWebhookTest, MissingSignatureIsRefused) {
  auto r = deliver(kUpdated, std::nullopt);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_NE(r.body.find(R"({"error":"X-Hub-Signature: required)"), std::string::npos) << r.body;
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(SignedWebhookTest, SignatureWithAnotherSecretIsRefused) {
  auto r = deliver(kUpdated, hub_signature("another-secret", kUpdated));
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("does not match"), std::string::npos) << r.body;
  // Right but for the last digit: every byte is compared, not a prefix.
  std::string last_wrong = hub_signature(kSecret, kUpdated);
  last_wrong.back() = last_wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(deliver(kUpdated, last_wrong).status, 401);
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(SignedWebhookTest, TamperedBodyIsRefused) {
  const std::string signature = hub_signature(kSecret, kUpdated);
  std::string tampered = kUpdated;
  tampered.replace(tampered.find("WRKA-7"), 6, "WRKA-8");
  EXPECT_EQ(deliver(tampered, signature).status, 401);
  // Same JSON, different bytes: the signature covers the raw body, not its meaning.
  EXPECT_EQ(deliver(kUpdated + "\n", signature).status, 401);
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(SignedWebhookTest, MalformedSignaturesAreRefused) {
  const std::string good = hub_signature(kSecret, kUpdated);
  const std::string hex = good.substr(7);
  for (const std::string& bad : {
           std::string(""),
           hex,                                      // no prefix
           "SHA256=" + hex,                          // not Jira's prefix
           "sha1=" + hex.substr(0, 40),              // another algorithm
           "sha256=" + hex.substr(1),                // 63 digits
           good + "0",                               // 65 digits
           "sha256=" + hex.substr(0, 62) + "zz",     // not hex
           "sha256= " + hex.substr(1),               // stray space
           "sha256=" + hex + "," + "sha256=" + hex,  // two values folded into one
       }) {
    auto r = deliver(kUpdated, bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_NE(r.body.find("expected sha256=<64 hex digits>"), std::string::npos) << r.body;
  }
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(SignedWebhookTest, SignatureIsCheckedBeforeTheBodyIsRead) {
  EXPECT_EQ(deliver("{not json", std::nullopt).status, 401);
  EXPECT_EQ(deliver("{not json", hub_signature(kSecret, "{not json")).status, 400);
  // Whatever follows a NUL is signed too, so it is read too, not cut off.
  const std::string with_nul = kUpdated + std::string(1, '\0') + "trailing";
  EXPECT_EQ(deliver(with_nul, hub_signature(kSecret, with_nul)).status, 400);
  EXPECT_TRUE(producer.records.empty());
}

TEST_F(SignedWebhookTest, RefusalsNeverShowTheSecretOrTheExpectedSignature) {
  LogCapture log;
  const std::string expected = hub_signature(kSecret, kUpdated);
  const std::string sent = hub_signature("guess", kUpdated);
  std::string shown;
  for (const std::optional<std::string>& signature :
       {std::optional<std::string>(), std::optional<std::string>("sha256=xyz"),
        std::optional<std::string>(sent)}) {
    shown += deliver(kUpdated, signature).body;
  }
  shown += log.text();
  EXPECT_EQ(count(shown, "webhook refused"), 3u) << shown;  // the capture works
  for (const std::string& hidden :
       {std::string(kSecret), expected.substr(7), upper_hex(expected).substr(7), sent.substr(7)}) {
    EXPECT_EQ(shown.find(hidden), std::string::npos) << hidden << " in:\n" << shown;
  }
}

TEST_F(SignedWebhookTest, ManualSyncNeedsNoSignature) {
  RouteRequest r;
  r.method = "POST";
  r.path = r.target = "/api/sync";
  r.body = R"({"project":"WRKA"})";
  EXPECT_EQ(signed_api.sync(r).status, 202);
}

TEST_F(ControlApiTest, WithoutASecretAnySignatureOrNoneIsAccepted) {
  RouteRequest r;
  r.method = "POST";
  r.path = r.target = "/api/webhook";
  r.body = kUpdated;
  r.headers["x-hub-signature"] = "sha256=nonsense";
  EXPECT_EQ(api.webhook(r).status, 202);
  EXPECT_EQ(producer.records.size(), 1u);
}

TEST_F(SignedWebhookTest, MountWarnsOnceOnlyWhenSignaturesAreNotVerified) {
  prometheus::Registry registry;
  const std::string warning = "webhook signatures are not verified";
  {
    LogCapture log;
    ServiceHttpServer server(registry, [] { return true; });
    api.mount(server, no_keys);
    const std::string text = log.text();
    EXPECT_EQ(count(text, warning), 1u) << text;
    EXPECT_NE(text.find("[warning]"), std::string::npos) << text;
  }
  {
    LogCapture log;
    ServiceHttpServer server(registry, [] { return true; });
    signed_api.mount(server, no_keys);
    EXPECT_EQ(count(log.text(), warning), 0u) << log.text();
  }
}

TEST_F(SignedWebhookTest, SignatureHeaderArrivesThroughTheHttpServer) {
  prometheus::Registry registry;
  ServiceHttpServer server(registry, [] { return true; });
  signed_api.mount(server, no_keys);
  server.start();
  HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(server.port())),
                        HttpConnectionOptions{});
  HttpRequest request;
  request.method = "POST";
  request.target = "/api/webhook";
  request.body = kUpdated;
  EXPECT_EQ(client.send(request).status, 401);
  request.headers["X-Hub-Signature"] = hub_signature(kSecret, kUpdated);  // as Jira spells it
  EXPECT_EQ(client.send(request).status, 202);
  EXPECT_EQ(producer.records.size(), 1u);
}

TEST(WebhookSignatureTest, MatchesTheRfc4231Vector) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  const std::string digest = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  EXPECT_EQ(verify_webhook_signature("Jefe", "sha256=" + digest, "what do ya want for nothing?"),
            WebhookSignature::kValid);
  EXPECT_EQ(verify_webhook_signature("Jeff", "sha256=" + digest, "what do ya want for nothing?"),
            WebhookSignature::kMismatch);
  EXPECT_EQ(verify_webhook_signature("Jefe", "sha256=" + digest, "what do ya want for nothing!"),
            WebhookSignature::kMismatch);
}

}  // namespace
}  // namespace jirasync
