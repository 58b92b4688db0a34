#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>

#include "tests/jirasim/it/sim_test_support.hpp"
#include "tests/jirasim/webhook_sender.hpp"

namespace jirasim::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct Delivery {
  std::string signature;
  std::string body;
};

// Receives `count` webhook POSTs on a free loopback port.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(int count)
      : acceptor_(ioc_, net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, count] {
      std::vector<Delivery> got;
      try {
        for (int i = 0; i < count; ++i) {
          net::ip::tcp::socket socket(ioc_);
          acceptor_.accept(socket);
          beast::flat_buffer buffer;
          http::request<http::string_body> req;
          http::read(socket, buffer, req);
          got.push_back({std::string(req["X-Hub-Signature"]), req.body()});
          http::response<http::string_body> res{http::status::ok, 11};
          res.prepare_payload();
          http::write(socket, res);
        }
        promise_.set_value(got);
      } catch (...) {
        promise_.set_exception(std::current_exception());
      }
    });
  }
  ~WebhookReceiver() {
    beast::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  int port() const { return port_; }
  std::future<std::vector<Delivery>> deliveries() { return promise_.get_future(); }

 private:
  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::promise<std::vector<Delivery>> promise_;
  std::thread thread_;
};

TEST(Webhooks, DeliverJiraPayloadsSignedWithTheSecret) {
  RunningSim sim({"--projects", "WRKA:10,WMB:5"});
  WebhookReceiver receiver(3);
  auto future = receiver.deliveries();
  sim.control("/__sim/config",
              "{\"webhook\":{\"url\":\"http://127.0.0.1:" + std::to_string(receiver.port()) +
                  "/hook\",\"secret\":\"s3cret\"}}");
  auto created = sim.control("/__sim/issues", "{\"project\":\"WRKA\",\"summary\":\"hooked\"}");
  std::string key = created["key"].GetString();
  sim.control("/__sim/issues/" + key, "{\"status\":\"In Progress\"}", http::verb::put);
  sim.client.request(http::verb::delete_, "/__sim/issues/" + key);

  ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto got = future.get();
  ASSERT_EQ(got.size(), 3u);
  const char* events[] = {"jira:issue_created", "jira:issue_updated", "jira:issue_deleted"};
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].signature, "sha256=" + hmac_sha256_hex("s3cret", got[i].body));
    auto doc = parse_json(got[i].body);
    EXPECT_STREQ(doc["webhookEvent"].GetString(), events[i]);
    EXPECT_TRUE(doc["timestamp"].IsInt64());
    EXPECT_STREQ(doc["issue"]["key"].GetString(), key.c_str());
    EXPECT_TRUE(doc["issue"]["fields"]["summary"].IsString());
    EXPECT_TRUE(doc["user"]["accountId"].IsString());
  }
  auto updated = parse_json(got[1].body);
  const auto& item = updated["changelog"]["items"][0];
  EXPECT_STREQ(item["field"].GetString(), "status");
  EXPECT_STREQ(item["fromString"].GetString(), "To Do");
  EXPECT_STREQ(item["toString"].GetString(), "In Progress");
}

}  // namespace
}  // namespace jirasim::testing
