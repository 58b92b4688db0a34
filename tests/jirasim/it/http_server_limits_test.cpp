// What the simulator's listener withstands (in-process): slow clients, more
// connections than its cap, and a process out of file descriptors.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/jirasim/http_server.hpp"
#include "tests/support/descriptor_pressure.hpp"
#include "tests/support/raw_client.hpp"

namespace jirasim {
namespace {

using jirasync::testing::RawClient;
using std::chrono::milliseconds;

constexpr const char* kRequest = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

// An HttpServer on 127.0.0.1:0 answering "ok" on its own io_context thread.
class RunningServer {
 public:
  explicit RunningServer(HttpServerLimits limits)
      : server_(
            ioc_, "127.0.0.1", 0,
            [](const HttpRequest& req, bool) { return HttpReply{make_response(req, 200, "ok")}; },
            limits) {
    server_.start();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~RunningServer() {
    ioc_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return static_cast<std::uint16_t>(server_.port()); }

 private:
  boost::asio::io_context ioc_;
  HttpServer server_;
  std::thread thread_;
};

TEST(SimHttpServerLimits, ClosesAClientThatNeverFinishesItsHeaders) {
  HttpServerLimits limits;
  limits.read_timeout_ms = 200;
  RunningServer server(limits);
  RawClient slowloris(server.port());
  slowloris.send("GET /x HTTP/1.1\r\nHost: t\r\nX-Trickle: ");
  EXPECT_TRUE(slowloris.closed_within(milliseconds(5000)));
}

TEST(SimHttpServerLimits, ClosesConnectionsBeyondTheCapAtOnce) {
  HttpServerLimits limits;
  limits.max_connections = 2;
  RunningServer server(limits);
  RawClient first(server.port());
  first.send(kRequest);  // answered: the first two are in
  EXPECT_NE(first.read_until("ok", milliseconds(5000)).find("200 OK"), std::string::npos);
  RawClient second(server.port());
  second.send(kRequest);
  EXPECT_NE(second.read_until("ok", milliseconds(5000)).find("200 OK"), std::string::npos);
  RawClient third(server.port());
  EXPECT_TRUE(third.closed_within(milliseconds(5000)));
  EXPECT_EQ(third.read_until("ok", milliseconds(0)), "");
}

TEST(SimHttpServerLimits, BacksOffWhenTheProcessIsOutOfDescriptors) {
  jirasync::testing::FdLimit limit(128);
  RunningServer server(HttpServerLimits{});
  jirasync::testing::FdHog hog;
  ASSERT_GT(hog.held(), 0u);
  hog.give_back_one();
  RawClient client(server.port());  // the last descriptor: the server cannot accept it
  client.send(kRequest);
  EXPECT_LT(jirasync::testing::cpu_seconds_over_one_second(), 0.15) << "the accept loop spins";
  hog.release();
  EXPECT_NE(client.read_until("ok", milliseconds(5000)).find("200 OK"), std::string::npos);
}

}  // namespace
}  // namespace jirasim
