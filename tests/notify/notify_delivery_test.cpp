// Notifications delivered to local receivers through the outbox and the
// delivery loop: a webhook that fails the first deliveries and checks the
// HMAC, a Slack-compatible webhook, and an SMTP relay that refuses at first.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/clock/fake_clock.hpp"
#include "common/notify/notification_dispatcher.hpp"
#include "common/notify/slack_sink.hpp"
#include "common/notify/smtp_sink.hpp"
#include "common/notify/webhook_sink.hpp"
#include "common/store/migrations.hpp"
#include "tests/notify/smtp_receiver.hpp"
#include "tests/support/scripted_http_server.hpp"

namespace jirasync {
namespace {

using testing::RecordedRequest;
using testing::ScriptedHttpServer;
using testing::ScriptedReply;

constexpr const char* kSecret = "s3cret-hmac-key";

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("jirasync-notify-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
    db = Database::open("sqlite:" + (dir / "cache.db").string());
    migrate(*db);
    outbox = std::make_unique<NotificationOutbox>(db);
  }
  void TearDown() override {
    outbox.reset();
    db.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  void enqueue(const std::string& sink) {
    NotificationEvent e;
    e.kind = NotificationKind::kRunFailed;
    e.project = "WRKA";
    e.key = "run_failed:r1";
    e.title = "incremental sync of WRKA failed after 3 attempt(s)";
    e.text = "run r1: Jira answered 500\n.a line starting with a dot";
    auto lock = db->lock();
    NotificationOutbox::enqueue(*db, sink, e, clock.now_ms());
  }
  // Ticks until nothing is left to deliver (advancing past each backoff).
  int deliver_all(NotificationDispatcher& d) {
    int delivered = 0;
    for (int i = 0; i < 10; ++i) {
      delivered += d.tick().delivered;
      clock.advance_ms(60000);
    }
    return delivered;
  }
  NotificationDispatcher dispatcher(std::unique_ptr<NotificationSink> sink) {
    std::vector<std::unique_ptr<NotificationSink>> sinks;
    sinks.push_back(std::move(sink));
    return NotificationDispatcher(*outbox, nullptr, std::move(sinks),
                                  DeliveryPolicy{1000, 30000, 3600000}, clock);
  }
  std::filesystem::path dir;
  std::shared_ptr<Database> db;
  std::unique_ptr<NotificationOutbox> outbox;
  FakeClock clock;
};

TEST(NotificationSignatureTest, IsHmacSha256OfTheBodyInHex) {
  // RFC 4231, test case 2.
  EXPECT_EQ(notification_signature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_F(DeliveryTest, AWebhookFailingTwiceGetsTheSignedNotificationOnTheThirdAttempt) {
  std::atomic<int> seen{0};
  ScriptedHttpServer receiver([&](const RecordedRequest&) {
    ScriptedReply reply;
    reply.status = ++seen <= 2 ? 503 : 204;
    return reply;
  });
  enqueue("ops");
  auto d = dispatcher(
      std::make_unique<WebhookSink>("ops", receiver.base_url() + "/hooks/jirasync", kSecret, 5000));
  EXPECT_EQ(deliver_all(d), 1);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const RecordedRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hooks/jirasync");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("x-jirasync-event"), "run_failed");
    EXPECT_EQ(r.headers.at("x-jirasync-signature"), notification_signature(kSecret, r.body));
    EXPECT_EQ(r.body, requests[0].body) << "a retry sends the same body";
    EXPECT_EQ(r.headers.at("x-jirasync-delivery"), requests[0].headers.at("x-jirasync-delivery"));
  }
  EXPECT_NE(requests[0].body.find("\"event\":\"run_failed\""), std::string::npos);
  EXPECT_NE(requests[0].body.find("\"project\":\"WRKA\""), std::string::npos);
  EXPECT_EQ(requests[0].body.find(kSecret), std::string::npos);
  EXPECT_EQ(deliver_all(d), 0) << "delivered once";
}

TEST_F(DeliveryTest, ASlackWebhookGetsTextAndBlocks) {
  ScriptedHttpServer receiver([](const RecordedRequest&) { return ScriptedReply{}; });
  enqueue("chat");
  auto d = dispatcher(std::make_unique<SlackSink>("chat", receiver.base_url() + "/T1/B2/x", 5000));
  EXPECT_EQ(deliver_all(d), 1);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/T1/B2/x");
  const std::string expected =
      R"x({"text":"incremental sync of WRKA failed after 3 attempt(s)","blocks":[{"type":)x"
      R"x("section","text":{"type":"mrkdwn","text":"*incremental sync of WRKA failed after )x"
      R"x(3 attempt(s)*\nrun r1: Jira answered 500\n.a line starting with a dot"}}]})x";
  EXPECT_EQ(requests[0].body, expected);
}

TEST_F(DeliveryTest, AnSmtpRelayRefusingOnceGetsTheMailOnTheRetry) {
  testing::SmtpReceiver relay(1);
  enqueue("mail");
  auto d = dispatcher(
      std::make_unique<SmtpSink>("mail", SmtpSettings{"127.0.0.1",
                                                      relay.port(),
                                                      "auto",
                                                      "jirasync@example.com",
                                                      {"ops@example.com", "qa@example.com"},
                                                      5000}));
  EXPECT_EQ(deliver_all(d), 1);
  EXPECT_EQ(relay.conversations(), 2);
  const auto mails = relay.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].from, "<jirasync@example.com>");
  EXPECT_EQ(mails[0].to, (std::vector<std::string>{"<ops@example.com>", "<qa@example.com>"}));
  EXPECT_NE(mails[0].data.find("Subject: [jirasync] incremental sync of WRKA failed"),
            std::string::npos)
      << mails[0].data;
  EXPECT_NE(mails[0].data.find("\r\n..a line starting with a dot\r\n"), std::string::npos)
      << "dot-stuffed: " << mails[0].data;
}

TEST_F(DeliveryTest, AnSmtpRelayThatRequiresTlsButOffersNoneIsRefusedClearly) {
  testing::SmtpReceiver relay(0);
  enqueue("mail");
  SmtpSink sink("mail",
                SmtpSettings{"127.0.0.1", relay.port(), "required", "a@b.c", {"d@e.f"}, 5000});
  OutboxEntry entry{1, "mail", "run_failed", "WRKA", "{\"title\":\"t\",\"text\":\"\"}", 0, 0};
  try {
    sink.deliver(entry);
    FAIL() << "delivered without TLS";
  } catch (const DeliveryError& e) {
    EXPECT_NE(std::string(e.what()).find("STARTTLS refused by the relay: 502"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace jirasync
