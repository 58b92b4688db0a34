// PostgreSQL stopped, PostgreSQL killed and the Kafka broker killed in the
// middle of a full sync, with every role running, then brought back: every
// role rides the outage out (still running, not ready on /readyz meanwhile,
// ready again after), the run ends in success (an attempt may fail and be
// retried) and the cache equals Jira. The servers are the test's own
// (PrivateServices): ctest runs other tests against the shared ones.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "tests/e2e/pipeline_harness.hpp"
#include "tests/e2e/private_services.hpp"
#include "tests/support/one_shot_get.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kRoles[] = {"scheduler", "writer", "reconciler", "fetcher"};
// A second fetcher, idle or not, stopped while the dependency is away.
constexpr const char* kSpareFetcher = "fetcher2";
using testing::http_get;
using testing::HttpAnswer;

enum class Outage { kPostgresStopped, kPostgresKilled, kKafkaKilled };

// Runs a full sync of 3,000 slow issues, takes the dependency away once the
// writer applied some, keeps it away at least `down_for` and until every
// role says on /readyz that it misses it, brings it back and checks the end.
void ride_out(Outage outage, std::chrono::seconds down_for, bool stop_busy_fetcher = false) {
  PrivateServices services;
  PipelineHarness h;
  // Slow pages keep the run going through the outage.
  h.start_simulator("WRKA:3000", {"--fault-latency-ms", "150"});
  h.configure({.projects = {{"WRKA"}}, .lease_ms = 30000, .writer_batch_size = 100});
  std::map<std::string, int> ports;
  for (const char* role : kRoles) {
    ports[role] = testing::free_port();
    h.start_service(role, "", {{"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(ports[role])}});
  }
  ports[kSpareFetcher] = testing::free_port();
  h.start_service("fetcher", kSpareFetcher,
                  {{"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(ports[kSpareFetcher])}});
  const auto all_ready = [&](int status) {
    for (const auto& [role, port] : ports) {
      if (http_get(port, "/readyz").status != status) return false;
    }
    return true;
  };
  ASSERT_TRUE(testing::wait_until([&] { return all_ready(200); }, 60s, 200ms))
      << "the roles never became ready\n"
      << h.logs();

  const std::string run_id = h.start_run({"--full"});
  ASSERT_FALSE(run_id.empty());
  // The harness's own connection fails once when PostgreSQL went away.
  const auto run_now = [&]() -> std::optional<SyncRun> {
    try {
      return h.run(run_id);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  ASSERT_TRUE(testing::wait_until(
      [&] {
        auto run = run_now();
        return finished(run) || (run && run->applied >= 300);
      },
      180s))
      << "no progress before the outage\n"
      << h.logs();
  ASSERT_FALSE(finished(run_now())) << "the run ended before the outage; slow Jira down";

  const auto outage_started = SteadyClock::now();
  switch (outage) {
    case Outage::kPostgresStopped:
      services.stop_postgres();
      break;
    case Outage::kPostgresKilled:
      services.kill_postgres();
      break;
    case Outage::kKafkaKilled:
      services.kill_kafka();
      break;
  }
  // Every role notices (503 on /readyz) and none exits.
  EXPECT_TRUE(testing::wait_until(
      [&] { return SteadyClock::now() - outage_started >= down_for && all_ready(503); },
      down_for + 60s, 200ms))
      << "not every role reported the outage on /readyz\n"
      << h.logs();
  for (const char* role : kRoles) {
    EXPECT_TRUE(h.service_running(role)) << role << " exited during the outage\n" << h.logs();
  }
  // SIGTERM is obeyed at once, dependency or not: the spare fetcher, and with
  // `stop_busy_fetcher` the other one too, so the one running the job is
  // stopped whichever it is (a fetcher started after the outage takes it over).
  std::vector<std::string> to_stop{kSpareFetcher};
  if (stop_busy_fetcher) to_stop.push_back("fetcher");
  for (const auto& fetcher : to_stop) {
    const auto asked = SteadyClock::now();
    h.stop_service(fetcher);
    EXPECT_LT(SteadyClock::now() - asked, 5s) << fetcher << " took long to stop during the outage";
    ports.erase(fetcher);
  }

  services.start_again();
  if (stop_busy_fetcher) {
    ports["fetcher3"] = testing::free_port();
    h.start_service("fetcher", "fetcher3",
                    {{"JIRASYNC_LISTEN", "127.0.0.1:" + std::to_string(ports["fetcher3"])}});
  }
  EXPECT_TRUE(testing::wait_until([&] { return all_ready(200); }, 120s, 200ms))
      << "not every role is ready again after the outage\n"
      << h.logs();
  ASSERT_TRUE(testing::wait_until([&] { return finished(run_now()); }, 300s))
      << "the run did not end after the outage: " << run_now()->applied << " applied of "
      << run_now()->emitted << ", status " << to_string(run_now()->status) << "\n"
      << h.logs();
  const auto run = h.run(run_id);
  // How it ended, for whoever reads the test's output.
  std::printf("run %s: %s after %d attempt(s); last error: %s\n", run_id.c_str(),
              to_string(run->status), run->attempt, run->error.c_str());
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error << "\n" << h.logs();
  EXPECT_EQ(run->applied, run->emitted);
  for (const auto& [role, port] : ports) {
    EXPECT_TRUE(h.service_running(role)) << role << " exited\n" << h.logs();
  }
  EXPECT_EQ(h.tickets().count("WRKA"), 3000);
  EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
  h.expect_cache_equals_jira("WRKA");

  // Every role still stops promptly on SIGTERM.
  for (const auto& [role, port] : ports) {
    const auto asked = SteadyClock::now();
    h.stop_service(role);
    EXPECT_LT(SteadyClock::now() - asked, 5s) << role << " took long to stop";
  }
}

TEST(PipelineOutage, PostgresStoppedMidRunIsRiddenOut) {
  ride_out(Outage::kPostgresStopped, 20s);
}

TEST(PipelineOutage, PostgresKilledMidRunIsRiddenOut) {
  ride_out(Outage::kPostgresKilled, 20s);
}

// Longer than the lease: a fetcher waiting for the broker keeps its run.
TEST(PipelineOutage, KafkaBrokerKilledMidRunIsRiddenOut) {
  ride_out(Outage::kKafkaKilled, 45s);
}

// The fetcher running the job is stopped while the broker is away: it stops
// at once, and a fetcher started after the outage completes the run.
TEST(PipelineOutage, FetcherStoppedWhileTheBrokerIsAwayStopsAtOnce) {
  ride_out(Outage::kKafkaKilled, 20s, true);
}

}  // namespace
}  // namespace jirasync::e2e
