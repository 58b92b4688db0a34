// jirasync-api as it runs: keys made with `jirasync apikey`, then hostile
// clients (oversized bodies, slow and malformed requests, a thousand
// connections) while the role keeps serving, and a log that never holds a key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/http/http_connection.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/raw_client.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawClient;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The soft descriptor limit raised to the hard one for this process and the
// server it starts (a thousand connections need two thousand descriptors).
rlim_t raise_descriptor_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

class ApiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jirasync-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    port_ = testing::free_port();
    config_ = (dir_ / "jirasync.yaml").string();
    std::ofstream(config_) << "database_url: sqlite:" << (dir_ / "cache.db").string() << "\n"
                           << "bus: inprocess\n"
                           << "log_level: debug\n"
                           << "listen: 127.0.0.1:0\n"
                           << "http:\n  max_connections: 1500\n"
                           << "api:\n  listen: 127.0.0.1:" << port_ << "\n"
                           << "projects:\n  - key: WRKA\n";
    admin_key_ = make_key("ops", "admin");
    read_key_ = make_key("reporting", "read");
    api_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{testing::binary_path("jirasync-api"), "--config", config_},
        std::map<std::string, std::string>{}, (dir_ / "api.log").string());
    ASSERT_TRUE(testing::wait_until([&] { return get("/api/v1/openapi.json").status == 200; }, 20s))
        << api_->log_tail();
  }

  void TearDown() override {
    api_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string make_key(const std::string& name, const std::string& scope) {
    const auto made = testing::run_to_exit({testing::binary_path("jirasync"), "-c", config_,
                                            "apikey", "create", name, "--scope", scope},
                                           {}, (dir_ / ("apikey-" + name + ".log")).string(), 30s);
    EXPECT_EQ(made.exit_code, 0) << made.output;
    // The key is the one line of stdout that starts with jsk_.
    const auto at = made.output.find("jsk_");
    EXPECT_NE(at, std::string::npos) << made.output;
    return at == std::string::npos ? "" : made.output.substr(at, 68);
  }

  HttpResponse get(const std::string& target, const std::string& key = "",
                   const std::string& method = "GET", const std::string& body = "") {
    HttpConnectionOptions options;
    options.timeout_ms = 5000;
    HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port_)),
                          options);
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
    try {
      return client.send(request);
    } catch (const HttpTransportError&) {
      return {};
    }
  }

  std::filesystem::path dir_;
  std::string config_;
  int port_ = 0;
  std::string admin_key_, read_key_;
  std::unique_ptr<ChildProcess> api_;
};

TEST_F(ApiProcessTest, KeysFromTheCliOpenTheApiUntilRevoked) {
  EXPECT_EQ(get("/api/v1/projects").status, 401);
  EXPECT_EQ(get("/api/v1/projects", "jsk_" + std::string(64, '0')).status, 401);
  const auto projects = get("/api/v1/projects", read_key_);
  EXPECT_EQ(projects.status, 200) << projects.body;
  EXPECT_THAT(projects.body, HasSubstr("\"key\":\"WRKA\""));
  EXPECT_EQ(get("/api/v1/sync", read_key_, "POST", "{}").status, 403);
  const auto sync = get("/api/v1/sync", admin_key_, "POST", R"({"project":"WRKA"})");
  EXPECT_EQ(sync.status, 202) << sync.body;

  const auto listed = testing::run_to_exit(
      {testing::binary_path("jirasync"), "-c", config_, "apikey", "list", "--format", "json"}, {},
      (dir_ / "list.log").string(), 30s);
  EXPECT_THAT(listed.output, HasSubstr("\"reporting\""));
  EXPECT_THAT(listed.output, Not(HasSubstr(read_key_)));
  EXPECT_THAT(listed.output, HasSubstr(read_key_.substr(0, 12)));  // the prefix only

  const auto revoked = testing::run_to_exit(
      {testing::binary_path("jirasync"), "-c", config_, "apikey", "revoke", "reporting"}, {},
      (dir_ / "revoke.log").string(), 30s);
  EXPECT_EQ(revoked.exit_code, 0) << revoked.output;
  EXPECT_TRUE(
      testing::wait_until([&] { return get("/api/v1/projects", read_key_).status == 401; }, 10s));
  EXPECT_EQ(get("/api/v1/projects", admin_key_).status, 200);
}

TEST_F(ApiProcessTest, ABodyOverTheLimitIs413AndTheServerKeepsServing) {
  const auto response = get("/api/v1/sync", admin_key_, "POST", std::string(2 * 1024 * 1024, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_EQ(get("/api/v1/projects", read_key_).status, 200);
}

TEST_F(ApiProcessTest, MalformedRequestsGet400AndTheServerKeepsServing) {
  for (const std::string& garbage :
       {std::string("NOT HTTP AT ALL\r\n\r\n"),
        std::string("GET /api/v1/projects HTTP/7.3\r\n\r\n"),
        std::string("GET /x HTTP/1.1\r\nBad Header Line\r\n\r\n"),
        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)}) {
    RawClient client(static_cast<std::uint16_t>(port_));
    client.send(garbage);
    const std::string answer = client.read_until("\r\n\r\n", 5s);
    EXPECT_THAT(answer, HasSubstr("400")) << garbage;
    EXPECT_TRUE(client.closed_within(5s));
  }
  EXPECT_EQ(get("/api/v1/projects", read_key_).status, 200);
}

TEST_F(ApiProcessTest, AClientTricklingItsRequestIsCutOff) {
  RawClient slow(static_cast<std::uint16_t>(port_));
  slow.send("GET /api/v1/projects HTTP/1.1\r\nHost: x\r\n");
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/healthz").status, 200);  // others are served meanwhile
  EXPECT_TRUE(slow.closed_within(15s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 14s);  // the 10 s read timeout
}

TEST_F(ApiProcessTest, AThousandConnectionsAndTheRoleKeepsServingInBoundedMemory) {
  if (raise_descriptor_limit() < 2300) GTEST_SKIP() << "RLIMIT_NOFILE hard limit below 2300";
  // The server started before the limit was raised: start it again under it.
  api_.reset();
  api_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{testing::binary_path("jirasync-api"), "--config", config_},
      std::map<std::string, std::string>{}, (dir_ / "api-many.log").string());
  ASSERT_TRUE(testing::wait_until([&] { return get("/healthz").status == 200; }, 20s));
  const long before = rss_kib(api_->pid());
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 1000; ++i) {
    clients.push_back(std::make_unique<RawClient>(static_cast<std::uint16_t>(port_)));
    // A third start a request and never finish it; the rest say nothing.
    if (i % 3 == 0) clients.back()->send("GET /api/v1/projects HTTP/1.1\r\nHost: x\r\n");
  }
  const auto projects = get("/api/v1/projects", read_key_);
  EXPECT_EQ(projects.status, 200) << projects.body;
  EXPECT_EQ(get("/healthz").status, 200);
  const long during = rss_kib(api_->pid());
  EXPECT_LT(during - before, 64 * 1024) << "RSS grew from " << before << " to " << during << " KiB";
  clients.clear();
  EXPECT_EQ(get("/api/v1/projects", read_key_).status, 200);
  EXPECT_TRUE(api_->running());
}

TEST_F(ApiProcessTest, KeysNeverReachTheLog) {
  get("/api/v1/projects", read_key_);
  get("/api/v1/sync", admin_key_, "POST", R"({"project":"WRKA"})");
  const std::string wrong = "jsk_" + std::string(64, 'a');
  get("/api/v1/projects", wrong);
  {
    HttpConnection client(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port_)), {});
    HttpRequest basic{"GET", "/api/v1/runs", {{"Authorization", "Basic eDpqc2tfYWFh"}}, ""};
    client.send(basic);
  }
  api_->stop();
  const std::string log = read_file((dir_ / "api.log").string());
  EXPECT_THAT(log, HasSubstr("queued as run"));  // the log is there, at debug level
  for (const auto& key : {read_key_, admin_key_, wrong}) {
    EXPECT_THAT(log, Not(HasSubstr(key)));
    EXPECT_THAT(log, Not(HasSubstr(key.substr(4))));
  }
  EXPECT_THAT(log, Not(HasSubstr("eDpqc2tfYWFh")));
  for (const auto& name : {"ops", "reporting"}) {
    const std::string cli_log =
        read_file((dir_ / (std::string("apikey-") + name + ".log")).string());
    EXPECT_THAT(cli_log, HasSubstr("jsk_"));  // printed once, to the one who made it
  }
}

// `jirasync run` serves the same API on its `listen` address, over its
// in-process pipeline: a sync asked over HTTP becomes a run of that pipeline
// whose progress streams as Server-Sent Events.
TEST_F(ApiProcessTest, EmbeddedRunServesTheApiOnItsListenAddress) {
  api_.reset();
  const int listen = testing::free_port();
  const std::string embedded = (dir_ / "embedded.yaml").string();
  std::ofstream(embedded) << read_file(config_) << "jira:\n  base_url: http://127.0.0.1:9\n"
                          << "  email: a@example.com\n";
  std::string text = read_file(embedded);
  text.replace(text.find("listen: 127.0.0.1:0"), 19, "listen: 127.0.0.1:" + std::to_string(listen));
  std::ofstream(embedded) << text;
  ChildProcess run({testing::binary_path("jirasync"), "-c", embedded, "run"},
                   {{"JIRA_API_TOKEN", "not-a-real-token"}}, (dir_ / "run.log").string());
  port_ = listen;
  ASSERT_TRUE(
      testing::wait_until([&] { return get("/api/v1/projects", read_key_).status == 200; }, 30s))
      << run.log_tail();
  const auto sync = get("/api/v1/sync", admin_key_, "POST", R"({"project":"WRKA"})");
  ASSERT_EQ(sync.status, 202) << sync.body;
  const auto at = sync.body.find("\"run_id\":\"") + 10;
  const std::string id = sync.body.substr(at, sync.body.find('"', at) - at);
  RawClient events(static_cast<std::uint16_t>(port_));
  events.send("GET /api/v1/runs/" + id + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
              read_key_ + "\r\n\r\n");
  const std::string streamed = events.read_until("event: progress", 10s);
  EXPECT_THAT(streamed, HasSubstr("text/event-stream"));
  EXPECT_THAT(streamed, HasSubstr("Transfer-Encoding: chunked"));
  EXPECT_THAT(streamed, HasSubstr("event: progress"));
  EXPECT_THAT(streamed, HasSubstr(id));
  EXPECT_TRUE(run.running()) << run.log_tail();
}

}  // namespace
}  // namespace jirasync
