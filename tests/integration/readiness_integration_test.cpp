// /readyz of a real role process against the real broker and database, and
// the dependency checks behind it against servers that never answer.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "common/bus/bus.hpp"
#include "common/bus/kafka_reachability.hpp"
#include "common/store/database.hpp"
#include "common/store/database_reachability.hpp"
#include "tests/integration/service_env.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/one_shot_get.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;
using integration::required_env;
using integration::unique_name;
using testing::ChildProcess;
using testing::http_get;
using testing::HttpAnswer;

// A TCP listener that accepts connections (the kernel does) and never says
// a word: a frozen server, as far as a client can tell.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 16) != 0) {
      throw std::runtime_error("cannot listen for the silent server");
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class RoleReadiness : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / unique_name("readyz");
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    role_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // jirasync-reconciler with these brokers and database, listening on a free port.
  void start_reconciler(const std::string& brokers, const std::string& database_url) {
    port_ = testing::free_port();
    const std::map<std::string, std::string> env{
        {"JIRASYNC_DATABASE_URL", database_url},
        {"JIRASYNC_BUS", "kafka"},
        {"JIRASYNC_KAFKA_BROKERS", brokers},
        {"JIRASYNC_KAFKA_TOPIC_PREFIX", unique_name("readyz") + "."},
        {"JIRASYNC_KAFKA_API_VERSION_REQUEST", "false"},
        {"JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1"},
        {"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(port_)},
        {"JIRASYNC_LOG_LEVEL", "info"}};
    role_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{testing::binary_path("jirasync-reconciler")}, env,
        (dir_ / "reconciler.log").string());
  }

  // Polls /readyz until its status is `status`; returns the last answer.
  HttpAnswer readyz_until(int status, std::chrono::milliseconds deadline) {
    HttpAnswer last;
    testing::wait_until(
        [&] {
          last = http_get(port_, "/readyz");
          return last.status == status;
        },
        deadline, 200ms);
    return last;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> role_;
};

TEST_F(RoleReadiness, ReadyWhileTheBrokerAndTheDatabaseAnswer) {
  start_reconciler(required_env("JIRASYNC_TEST_KAFKA_BROKERS"),
                   required_env("JIRASYNC_TEST_PG_URL"));
  const auto answer = readyz_until(200, 30s);
  ASSERT_EQ(answer.status, 200) << answer.body << role_->log_tail();
  EXPECT_EQ(answer.body, "{\"ready\":true,\"database\":\"ok\",\"kafka\":\"ok\"}\n");
}

TEST_F(RoleReadiness, NotReadyNamingKafkaWhenNoBrokerIsReachable) {
  const int closed_port = testing::free_port();  // nothing listens there
  start_reconciler("127.0.0.1:" + std::to_string(closed_port),
                   required_env("JIRASYNC_TEST_PG_URL"));
  // The database answers within a second; kafka never does, and after the
  // window the answer names it.
  HttpAnswer answer;
  testing::wait_until(
      [&] {
        answer = http_get(port_, "/readyz");
        return answer.status == 503 &&
               answer.body.find("\"kafka\":\"no answer yet, for ") != std::string::npos &&
               answer.body.find("\"database\":\"ok\"") != std::string::npos;
      },
      30s, 200ms);
  EXPECT_EQ(answer.status, 503) << answer.body << role_->log_tail();
  EXPECT_NE(answer.body.find("\"ready\":false"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("\"database\":\"ok\""), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("\"kafka\":\"no answer yet, for "), std::string::npos) << answer.body;
  // Liveness stays a separate question.
  EXPECT_EQ(http_get(port_, "/healthz").status, 200);
}

TEST(DatabaseReachabilityIntegration, AnswersOnTheRealDatabase) {
  DatabaseReachability db(required_env("JIRASYNC_TEST_PG_URL"));
  EXPECT_NO_THROW(db.check(1000ms));
  EXPECT_NO_THROW(db.check(1000ms));  // the same connection again
}

TEST(DatabaseReachabilityIntegration, ClosedPortFailsAtOnce) {
  DatabaseReachability db(
      "postgresql://jirasync@127.0.0.1:" + std::to_string(testing::free_port()) + "/jirasync");
  EXPECT_THROW(db.check(1000ms), DatabaseError);
}

TEST(DatabaseReachabilityIntegration, FrozenServerFailsWithinTheTimeout) {
  SilentServer frozen;
  DatabaseReachability db("postgresql://jirasync@127.0.0.1:" + std::to_string(frozen.port()) +
                          "/jirasync");
  const auto start = std::chrono::steady_clock::now();
  try {
    db.check(500ms);
    ADD_FAILURE() << "a server that never answers passed the check";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("within 500 ms"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(KafkaReachabilityIntegration, AnswersOnTheRealBroker) {
  KafkaReachability kafka(integration::test_kafka_settings());
  EXPECT_NO_THROW(kafka.check(5000ms));
}

TEST(KafkaReachabilityIntegration, FrozenBrokerFailsWithinTheTimeout) {
  SilentServer frozen;
  KafkaSettings settings = integration::test_kafka_settings();
  settings.brokers = "127.0.0.1:" + std::to_string(frozen.port());
  KafkaReachability kafka(settings);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(kafka.check(500ms), BusError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

}  // namespace
}  // namespace jirasync
