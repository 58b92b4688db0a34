// What a ServiceHttpServer listener withstands: slow or silent clients, more
// connections than it holds, and a process out of file descriptors.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <prometheus/registry.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/http/http_connection.hpp"
#include "common/http/service_http_server.hpp"
#include "tests/support/descriptor_pressure.hpp"
#include "tests/support/raw_client.hpp"

namespace jirasync {
namespace {

using jirasync::testing::cpu_seconds_over_one_second;
using jirasync::testing::FdHog;
using jirasync::testing::FdLimit;
using jirasync::testing::RawClient;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kHealthzRequest = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

// A child process holding `count` idle connections to the port (the child has
// the saved descriptor limit back, so the clients do not share the server's).
class IdleClientProcess {
 public:
  IdleClientProcess(std::uint16_t port, int count, const rlimit& child_limit) {
    int ready[2];
    int hold[2];
    if (::pipe(ready) != 0 || ::pipe(hold) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {  // only async-signal-safe calls from here on
      ::close(ready[0]);
      ::close(hold[1]);
      ::setrlimit(RLIMIT_NOFILE, &child_limit);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(port);
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      int opened = 0;
      for (; opened < count; ++opened) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) break;
        if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) break;
      }
      if (::write(ready[1], &opened, sizeof opened) != sizeof opened) ::_exit(1);
      char byte;
      while (::read(hold[0], &byte, 1) > 0) {
      }
      ::_exit(0);
    }
    ::close(ready[1]);
    ::close(hold[0]);
    ready_ = ready[0];
    hold_ = hold[1];
  }

  ~IdleClientProcess() {
    ::close(ready_);
    ::close(hold_);  // the child exits on end of file
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }

  // How many connections the child has opened; -1 when it said nothing in time.
  int connected(milliseconds within) {
    pollfd readable{ready_, POLLIN, 0};
    int opened = -1;
    if (::poll(&readable, 1, static_cast<int>(within.count())) == 1) {
      if (::read(ready_, &opened, sizeof opened) != sizeof opened) opened = -1;
    }
    return opened;
  }

 private:
  pid_t pid_ = -1;
  int ready_ = -1;
  int hold_ = -1;
};

// The sum of a counter's or gauge's samples whose label `label` is `value`
// (all samples when `label` is empty); -1 when the registry has no such family.
double sample(prometheus::Registry& registry, const std::string& name,
              const std::string& label = "", const std::string& value = "") {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    double sum = 0;
    for (const auto& metric : family.metric) {
      bool match = label.empty();
      for (const auto& pair : metric.label)
        match = match || (pair.name == label && pair.value == value);
      if (!match) continue;
      sum += family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
    return sum;
  }
  return -1;
}

// Polls the sample until it reads `wanted` or `within` passes.
bool sample_reaches(prometheus::Registry& registry, const std::string& name,
                    const std::string& label, const std::string& value, double wanted,
                    milliseconds within) {
  const auto deadline = Clock::now() + within;
  while (sample(registry, name, label, value) != wanted) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(5));  // between polls
  }
  return true;
}

// Asks /healthz on fresh connections until one answers 200 or `within` passes.
int healthz_status(std::uint16_t port, milliseconds within, std::string& last_error) {
  const auto endpoint = HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port));
  HttpConnectionOptions options;
  options.timeout_ms = 1000;
  const auto deadline = Clock::now() + within;
  int status = 0;
  while (Clock::now() < deadline) {
    try {
      HttpConnection probe(endpoint, options);
      status = probe.send({"GET", "/healthz", {}, ""}).status;
      if (status == 200) return status;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    std::this_thread::sleep_for(milliseconds(20));  // between polls
  }
  return status;
}

TEST(ListenerLimits, ClosesAClientThatNeverFinishesItsHeaders) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.read_timeout_ms = 200;
  options.idle_timeout_ms = 60000;  // not what closes it
  ServiceHttpServer server(registry, nullptr, options);
  server.start();

  RawClient slowloris(server.port());
  slowloris.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Trickle: ");
  EXPECT_TRUE(slowloris.closed_within(milliseconds(5000)));
  // The server counts the close right after making it: poll, do not race it.
  EXPECT_TRUE(sample_reaches(registry, "jirasync_http_connections_closed_total", "reason",
                             "read_timeout", 1, milliseconds(5000)))
      << sample(registry, "jirasync_http_connections_closed_total", "reason", "read_timeout");
}

TEST(ListenerLimits, ClosesAKeptAliveConnectionAfterTheIdleTimeout) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.idle_timeout_ms = 200;
  ServiceHttpServer server(registry, nullptr, options);
  server.start();

  RawClient kept_alive(server.port());
  kept_alive.send(kHealthzRequest);
  EXPECT_THAT(kept_alive.read_until("ok\n", milliseconds(5000)), HasSubstr("200 OK"));
  EXPECT_TRUE(kept_alive.closed_within(milliseconds(5000)));
  RawClient silent(server.port());
  EXPECT_TRUE(silent.closed_within(milliseconds(5000)));
}

TEST(ListenerLimits, ClosesAClientThatDoesNotTakeItsResponse) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.write_timeout_ms = 200;
  options.idle_timeout_ms = 60000;  // not what closes it
  ServiceHttpServer server(registry, nullptr, options);
  // Far more than the socket buffers of both ends hold.
  server.add_route("GET", "/big", [](const RouteRequest&) {
    return RouteResponse::text(200, std::string(32 * 1024 * 1024, 'x'));
  });
  server.start();

  RawClient stalled(server.port());
  stalled.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");  // and never reads
  EXPECT_TRUE(sample_reaches(registry, "jirasync_http_connections_closed_total", "reason",
                             "write_timeout", 1, milliseconds(5000)));
}

TEST(ListenerLimits, AFullListenerClosesItsOldestIdleConnectionForANewOne) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.max_connections = 4;
  ServiceHttpServer server(registry, nullptr, options);
  server.start();

  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(std::make_unique<RawClient>(server.port()));
  std::string last_error;
  EXPECT_EQ(healthz_status(server.port(), milliseconds(5000), last_error), 200) << last_error;
  EXPECT_TRUE(idle.front()->closed_within(milliseconds(5000)));  // the oldest went first
  EXPECT_LE(sample(registry, "jirasync_http_connections_open"), 4);
  EXPECT_GE(sample(registry, "jirasync_http_connections_closed_total", "reason", "pressure"), 7);
}

TEST(ListenerLimits, AFullListenerOfBusyConnectionsLeavesNewOnesWaiting) {
  prometheus::Registry registry;
  ServiceHttpServerOptions options;
  options.max_connections = 2;
  options.read_timeout_ms = 60000;
  ServiceHttpServer server(registry, nullptr, options);
  server.start();

  RawClient first(server.port());
  RawClient second(server.port());
  first.send("GET /healthz HTTP/1.1\r\n");  // both mid-request: nothing to close
  second.send("GET /healthz HTTP/1.1\r\n");
  ASSERT_TRUE(sample_reaches(registry, "jirasync_http_connections_open", "state", "reading", 2,
                             milliseconds(5000)));
  RawClient waiting(server.port());  // the kernel completes the handshake
  waiting.send(kHealthzRequest);
  // A bounded look for an answer that must not come while both slots are busy.
  EXPECT_EQ(waiting.read_until("ok\n", milliseconds(300)), "");
  first.send("Host: t\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(first.read_until("ok\n", milliseconds(5000)), HasSubstr("200 OK"));
  EXPECT_THAT(waiting.read_until("ok\n", milliseconds(5000)), HasSubstr("200 OK"));
}

TEST(ListenerLimits, HealthzAnswersWithFourHundredIdleConnectionsAndAnFdLimitOf256) {
  FdLimit limit(256);
  if (limit.saved().rlim_max < 1024) GTEST_SKIP() << "hard RLIMIT_NOFILE below 1024";
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);  // default cap, lowered for the limit
  server.start();
  {
    IdleClientProcess idle(server.port(), 400, limit.saved());
    ASSERT_EQ(idle.connected(milliseconds(20000)), 400);

    std::string last_error;
    EXPECT_EQ(healthz_status(server.port(), milliseconds(10000), last_error), 200) << last_error;
    EXPECT_LT(cpu_seconds_over_one_second(), 0.15) << "the accept loop spins";
    EXPECT_LE(sample(registry, "jirasync_http_connections_open"), 192);
  }
}

TEST(ListenerLimits, BacksOffWhenTheProcessIsOutOfDescriptors) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer runtime needs descriptors of its own (it probes memory
  // through a pipe); with none left it reports false errors. The plain build
  // runs this test.
  GTEST_SKIP() << "needs every descriptor of the process: not under the sanitizers";
#endif
  FdLimit limit(128);
  prometheus::Registry registry;
  ServiceHttpServer server(registry, nullptr);
  server.start();

  FdHog hog;
  ASSERT_GT(hog.held(), 0u);
  hog.give_back_one();
  RawClient client(server.port());  // the last descriptor: the server cannot accept it
  client.send(kHealthzRequest);
  EXPECT_LT(cpu_seconds_over_one_second(), 0.15) << "the accept loop spins";
  const double failures = sample(registry, "jirasync_http_accept_errors_total");
  EXPECT_GE(failures, 1);
  EXPECT_LE(failures, 10);  // 50 ms doubling: about five tries in the first second

  hog.release();
  EXPECT_THAT(client.read_until("ok\n", milliseconds(5000)), HasSubstr("200 OK"));
}

}  // namespace
}  // namespace jirasync
