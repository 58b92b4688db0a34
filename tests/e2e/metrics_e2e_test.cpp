// Metrics to alert on, read from the real processes: the scheduler counts
// every trigger kind (the CLI's manual sync, the control API, Jira's webhook),
// every metric the shipped alert rules and dashboard name is served by some
// role, and the embedded `jirasync run` answers /metrics, /healthz, /readyz
// and the webhook route on `listen`.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "common/http/http_connection.hpp"
#include "common/http/https_endpoint.hpp"
#include "tests/e2e/pipeline_harness.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSecret = "e2e-metrics-webhook-secret-7";

struct Answer {
  int status = 0;  // 0: no answer
  std::string body;
};

Answer http(int port, const std::string& method, const std::string& target,
            const std::string& body = "", const std::string& key = "") {
  try {
    HttpConnection connection(HttpsEndpoint::parse("http://127.0.0.1:" + std::to_string(port)),
                              HttpConnectionOptions{});
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!body.empty()) request.headers["Content-Type"] = "application/json";
    if (!key.empty()) request.headers["Authorization"] = "Bearer " + key;
    const HttpResponse response = connection.send(request);
    return {response.status, response.body};
  } catch (const std::exception&) {
    return {};
  }
}

// An admin API key made with `jirasync apikey create` (the control API's
// /api/sync takes one): the one word of the output that starts with jsk_.
std::string admin_key(const testing::CommandResult& made) {
  EXPECT_EQ(made.exit_code, 0) << made.output;
  const auto at = made.output.find("jsk_");
  if (at == std::string::npos) return "";
  return made.output.substr(at, made.output.find_first_of(" \n", at) - at);
}

// The value of the first sample of `name` carrying every label of `labels`.
std::optional<double> sample(const std::string& exposition, const std::string& name,
                             const std::map<std::string, std::string>& labels) {
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != '{' && next != ' ') continue;
    bool all = true;
    for (const auto& [k, v] : labels) all = all && line.find(k + "=\"" + v + "\"") != line.npos;
    if (all) return std::stod(line.substr(line.rfind(' ') + 1));
  }
  return std::nullopt;
}

double count_of(const std::string& exposition, const std::string& trigger) {
  return sample(exposition, "jirasync_runs_triggered_total",
                {{"project", "WRKA"}, {"trigger", trigger}})
      .value_or(0);
}

// Every series name a /metrics answer holds (histograms with their suffixes).
std::set<std::string> served_names(const std::string& exposition) {
  std::set<std::string> names;
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    names.insert(line.substr(0, line.find_first_of("{ ")));
  }
  return names;
}

// The metric names a rules or dashboard file uses: ours and the process ones.
std::set<std::string> names_used(const std::string& relative_path) {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/" + relative_path);
  EXPECT_TRUE(in) << relative_path;
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  static const std::regex name(R"(\b((jirasync|process)_[a-z0-9_]*[a-z0-9]))");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), name); it != std::sregex_iterator();
       ++it) {
    names.insert((*it)[1].str());
  }
  return names;
}

bool all_finished(PipelineHarness& h) {
  for (const auto& run : h.runs().list_runs("WRKA", 1000)) {
    if (run.status != RunStatus::kSuccess && run.status != RunStatus::kFailed) return false;
  }
  return true;
}

bool has_webhook_run(PipelineHarness& h) {
  for (const auto& run : h.runs().list_runs("WRKA", 1000))
    if (run.trigger == "webhook") return true;
  return false;
}

void point_webhooks_at(SimulatorProcess& sim, int port) {
  sim.configure(R"({"webhook":{"url":"http://127.0.0.1:)" + std::to_string(port) +
                R"(/api/webhook","secret":")" + kSecret + R"("}})");
}

TEST(PipelineMetrics, EveryTriggerKindIsCountedAndEveryMetricTheMonitoringNamesIsServed) {
  PipelineHarness h;
  h.start_simulator("WRKA:60");
  // A tight bucket, so requests wait on it and that wait is exported too.
  h.configure({.projects = {{"WRKA"}}, .rate_per_s = 40, .rate_burst = 2});
  std::map<std::string, int> ports;
  for (const char* role : {"scheduler", "writer", "reconciler", "fetcher"}) {
    ports[role] = testing::free_port();
    std::map<std::string, std::string> env{
        {"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(ports[role])}};
    if (std::string(role) == "scheduler") env["JIRASYNC_WEBHOOK_SECRET"] = kSecret;
    h.start_service(role, "", env);
  }
  const int scheduler = ports["scheduler"];
  ASSERT_TRUE(
      testing::wait_until([&] { return http(scheduler, "GET", "/healthz").status == 200; }, 30s))
      << h.logs();

  // A manual sync from the CLI: its run is created outside the scheduler.
  ASSERT_EQ(h.sync({"--project", "WRKA", "--full"}).size(), 1u);
  // One through the control API.
  const std::string key = admin_key(h.cli({"apikey", "create", "metrics", "--scope", "admin"}));
  ASSERT_FALSE(key.empty());
  const auto api = http(scheduler, "POST", "/api/sync", R"({"project":"WRKA"})", key);
  ASSERT_EQ(api.status, 202) << api.body;
  ASSERT_TRUE(testing::wait_until([&] { return all_finished(h); }, 120s, 200ms)) << h.logs();
  // One from Jira's webhook.
  point_webhooks_at(h.sim(), scheduler);
  h.sim().update_issue("WRKA-7", R"({"summary":"Edited for the metrics test"})");
  ASSERT_TRUE(
      testing::wait_until([&] { return has_webhook_run(h) && all_finished(h); }, 120s, 200ms))
      << h.logs();

  std::string metrics;
  const bool counted = testing::wait_until(
      [&] {
        metrics = http(scheduler, "GET", "/metrics").body;
        return count_of(metrics, "manual") >= 1 && count_of(metrics, "api") >= 1 &&
               count_of(metrics, "webhook") >= 1;
      },
      30s, 250ms);
  EXPECT_TRUE(counted) << metrics;
  EXPECT_EQ(count_of(metrics, "manual"), 1) << metrics;
  EXPECT_EQ(count_of(metrics, "api"), 1) << metrics;
  EXPECT_GE(count_of(metrics, "webhook"), 1) << metrics;
  EXPECT_EQ(
      sample(metrics, "jirasync_runs_finished_total", {{"project", "WRKA"}, {"status", "success"}}),
      count_of(metrics, "manual") + count_of(metrics, "api") + count_of(metrics, "webhook"))
      << metrics;
  EXPECT_GT(
      sample(metrics, "jirasync_project_last_success_timestamp_seconds", {{"project", "WRKA"}})
          .value_or(0),
      0)
      << metrics;

  // Every name the alert rules and the dashboard use is on some role's
  // /metrics (consumer lag arrives on each consuming role's own schedule).
  std::set<std::string> wanted = names_used("deploy/monitoring/alerts.yml");
  const auto dashboard = names_used("deploy/monitoring/grafana/dashboards/jirasync.json");
  wanted.insert(dashboard.begin(), dashboard.end());
  ASSERT_GT(wanted.size(), 15u) << "the files name too few metrics: is the pattern right?";
  std::set<std::string> served;
  std::string missing;
  testing::wait_until(
      [&] {
        for (const auto& [role, port] : ports) {
          for (const auto& name : served_names(http(port, "GET", "/metrics").body))
            served.insert(name);
        }
        missing.clear();
        for (const auto& name : wanted)
          if (!served.count(name)) missing += " " + name;
        return missing.empty();
      },
      60s, 1s);
  EXPECT_EQ(missing, "") << "named by deploy/monitoring but served by no role";
  // Lag is exported on its own interval: each group's series appears within it.
  for (const char* group : {"fetcher", "reconciler", "writer"}) {
    EXPECT_TRUE(testing::wait_until(
        [&] {
          std::string all;
          for (const auto& [role, port] : ports) all += http(port, "GET", "/metrics").body;
          return sample(all, "jirasync_consumer_lag", {{"group", h.topic_prefix() + group}})
              .has_value();
        },
        60s, 500ms))
        << group << " exports no lag";
  }
}

TEST(EmbeddedRun, ServesMetricsHealthReadinessAndTheWebhookOnListen) {
  PipelineHarness h;  // for the simulator and the directory; no Kafka roles
  h.start_simulator("WRKA:30");
  const int port = testing::free_port();
  const std::string config = h.dir() + "/embedded.yaml";
  std::ofstream(config) << "jira:\n"
                        << "  base_url: " << h.sim().base_url() << "\n"
                        << "  email: demo@jirasim.test\n"
                        << "  rate_per_s: 0\n"
                        << "projects:\n"
                        << "  - key: WRKA\n"
                        << "    incremental_cron: \"0 0 1 1 *\"\n"
                        << "    full_cron: \"0 0 1 1 *\"\n"
                        << "database_url: sqlite:" << h.dir() << "/embedded.db\n"
                        << "bus: inprocess\n"
                        << "listen: 127.0.0.1:" << port << "\n";
  testing::ChildProcess run(
      {testing::binary_path("jirasync"), "--config", config, "run"},
      {{"JIRA_API_TOKEN", "jirasim-demo-token"}, {"JIRASYNC_WEBHOOK_SECRET", kSecret}},
      h.dir() + "/embedded.log");
  ASSERT_TRUE(testing::wait_until([&] { return http(port, "GET", "/healthz").status == 200; }, 30s))
      << run.log_tail();
  ASSERT_TRUE(testing::wait_until([&] { return http(port, "GET", "/readyz").status == 200; }, 30s))
      << http(port, "GET", "/readyz").body << run.log_tail();

  const std::string key =
      admin_key(testing::run_to_exit({testing::binary_path("jirasync"), "--config", config,
                                      "apikey", "create", "embedded", "--scope", "admin"},
                                     {}, h.dir() + "/apikey.log", 30s));
  ASSERT_FALSE(key.empty());
  const auto started = http(port, "POST", "/api/sync", R"({"project":"WRKA","kind":"full"})", key);
  ASSERT_EQ(started.status, 202) << started.body;
  std::string metrics;
  ASSERT_TRUE(testing::wait_until(
      [&] {
        metrics = http(port, "GET", "/metrics").body;
        return sample(metrics, "jirasync_runs_finished_total",
                      {{"project", "WRKA"}, {"status", "success"}})
                   .value_or(0) >= 1;
      },
      90s, 250ms))
      << metrics << run.log_tail();

  // Jira's webhook reaches the same listener and becomes a refresh run.
  point_webhooks_at(h.sim(), port);
  h.sim().update_issue("WRKA-3", R"({"summary":"Edited for the embedded metrics test"})");
  ASSERT_TRUE(testing::wait_until(
      [&] {
        metrics = http(port, "GET", "/metrics").body;
        return count_of(metrics, "webhook") >= 1;
      },
      60s, 250ms))
      << metrics << run.log_tail();
  EXPECT_EQ(count_of(metrics, "api"), 1);
  for (const char* name : {"jirasync_build_info", "process_cpu_seconds_total",
                           "process_resident_memory_bytes", "jirasync_fetcher_jira_requests_total",
                           "jirasync_writer_applied_total", "jirasync_project_cache_age_seconds"}) {
    EXPECT_TRUE(sample(metrics, name, {})) << name << " missing from\n" << metrics;
  }
  EXPECT_EQ(run.stop(), 0) << run.log_tail();
}

}  // namespace
}  // namespace jirasync::e2e
