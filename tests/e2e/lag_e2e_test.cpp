// `jirasync lag` and the roles' jirasync_consumer_lag against a real pipeline:
// lag appears while the writer is down, is read while roles are stopped, and
// drains to zero once the writer is back.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/e2e/pipeline_harness.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

// Total lag per role from `jirasync lag --format json` (-1: unknown or failed).
std::map<std::string, int64_t> lag_by_role(PipelineHarness& h, const std::string& group = "") {
  std::vector<std::string> args = {"lag", "--format", "json"};
  if (!group.empty()) args.insert(args.end(), {"--group", group});
  const auto result = h.cli(args, 60s);
  std::map<std::string, int64_t> out;
  if (result.exit_code != 0) {
    ADD_FAILURE() << "jirasync lag: exit " << result.exit_code << "\n" << result.output;
    return out;
  }
  rapidjson::Document doc;
  const auto start = result.output.find('{');
  doc.Parse(result.output.c_str() + (start == std::string::npos ? 0 : start));
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("groups")) {
    ADD_FAILURE() << "not the lag JSON:\n" << result.output;
    return out;
  }
  for (const auto& g : doc["groups"].GetArray()) {
    out[g["role"].GetString()] = g["lag"].IsNull() ? -1 : g["lag"].GetInt64();
  }
  return out;
}

// The text of GET /metrics on 127.0.0.1:port ("" without an answer).
std::string metrics_text(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) > 0) {
      char buf[4096];
      ssize_t n = 0;
      while ((n = recv(fd, buf, sizeof buf, 0)) > 0) response.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return response;
}

TEST(PipelineLag, LagGrowsWhileTheWriterIsDownAndDrainsAfterIt) {
  PipelineHarness h;
  h.start_simulator("WRKA:400");
  h.configure({.projects = {{"WRKA"}}});
  const int reconciler_port = testing::free_port();
  h.start_service("scheduler");
  h.start_service("writer");
  h.start_service("fetcher");
  h.start_service("reconciler", "",
                  {{"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(reconciler_port)}});
  ASSERT_EQ(h.sync({"--full"}).size(), 1u);

  // Everything consumed and committed.
  ASSERT_TRUE(testing::wait_until(
      [&] {
        const auto lag = lag_by_role(h);
        return lag.size() == 3 && lag.at("fetcher") == 0 && lag.at("reconciler") == 0 &&
               lag.at("writer") == 0;
      },
      60s, 500ms))
      << h.logs();

  // The reconciler exports its group's lag on /metrics.
  const std::string group = h.topic_prefix() + "reconciler";
  std::string text;
  EXPECT_TRUE(testing::wait_until(
      [&] {
        text = metrics_text(reconciler_port);
        return text.find("jirasync_consumer_lag{group=\"" + group + "\"") != std::string::npos;
      },
      30s, 200ms))
      << text;

  // The writer dies; a refetch of 400 issues piles up on issues.decided.
  h.kill_service("writer");
  const auto started = h.cli({"sync", "--project", "WRKA", "--refetch"});
  ASSERT_EQ(started.exit_code, 0) << started.output;
  ASSERT_TRUE(
      testing::wait_until([&] { return lag_by_role(h, "writer")["writer"] >= 400; }, 120s, 500ms))
      << h.logs();

  // Read while every role is stopped: the same answer, nothing joins the group.
  for (const char* role : {"scheduler", "fetcher", "reconciler"}) h.stop_service(role);
  EXPECT_GE(lag_by_role(h, "writer")["writer"], 400);

  h.start_service("writer");
  EXPECT_TRUE(
      testing::wait_until([&] { return lag_by_role(h, "writer")["writer"] == 0; }, 120s, 500ms))
      << h.logs();
}

}  // namespace
}  // namespace jirasync::e2e
