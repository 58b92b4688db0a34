#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/store_test_support.hpp"
#include "tests/e2e/simulator_process.hpp"
#include "tests/e2e/test_database.hpp"
#include "tests/support/child_process.hpp"
#include "tests/world/world.hpp"

namespace jirasync::e2e {

struct ProjectOptions {
  ProjectOptions(std::string k, std::string s = "JIRA_WINS")  // NOLINT: {"WRKA"} reads well
      : key(std::move(k)), strategy(std::move(s)) {}
  std::string key;
  std::string strategy;
  std::string cache_ttl;  // "" = the default
};

// What a test may vary in the configuration every process reads.
struct PipelineOptions {
  std::vector<ProjectOptions> projects;
  double rate_per_s = 0;  // 0 = unlimited
  double rate_burst = 20;
  int jira_max_attempts = 5;
  int backoff_base_ms = 200;
  int backoff_max_ms = 5000;
  int sweep_page_size = 5000;
  int64_t overlap_ms = 60000;
  int max_run_attempts = 3;
  int64_t lease_ms = 120000;
  int writer_batch_size = 500;
  // Processes start_all_services() starts of each role: fetcher, fetcher2, ...
  int fetchers = 1;
  int reconcilers = 1;
  int writers = 1;
};

// One end-to-end world: a fresh database, a unique topic prefix, a temporary
// directory with logs and the config, jirasim, the four real service
// binaries and the jirasync CLI. The processes are brought up by world::World
// (the launcher scripts use through jirasync-world); every service started is
// waited for on /readyz. Everything it started is stopped, and the database
// dropped, when it goes away; the directory is kept if the test failed.
class PipelineHarness {
 public:
  PipelineHarness();
  ~PipelineHarness();
  PipelineHarness(const PipelineHarness&) = delete;
  PipelineHarness& operator=(const PipelineHarness&) = delete;

  // jirasim with these projects ("WRKA:500,WMB:300") and extra flags.
  SimulatorProcess& start_simulator(const std::string& projects,
                                    const std::vector<std::string>& extra_args = {});
  SimulatorProcess& sim() { return *sim_; }

  // Writes the config file every process reads (call before starting services).
  void configure(const PipelineOptions& options);

  // Roles: scheduler, fetcher, reconciler, writer, api. `instance` tells apart
  // several processes of one role ("fetcher", "fetcher2").
  // `env` adds to (or overrides) what every process gets, e.g. a fixed listen
  // address or the webhook secret for the scheduler. Returns once it is ready.
  void start_service(const std::string& role, const std::string& instance = "",
                     const std::map<std::string, std::string>& env = {});
  // The pipeline, with the configured number of fetchers, reconcilers and writers.
  void start_all_services();
  void kill_service(const std::string& instance);  // SIGKILL
  void stop_service(const std::string& instance);  // SIGTERM
  bool service_running(const std::string& instance);

  // `jirasync --config <file> ARGS...`, to its end (deadline 5 min by default).
  testing::CommandResult cli(const std::vector<std::string>& args,
                             std::chrono::milliseconds deadline = std::chrono::minutes(5));
  // Runs `jirasync sync ARGS --wait`; returns the run ids it printed.
  // Fails the calling test (ADD_FAILURE with the output) when it exits non-zero
  // and `expect_success`.
  std::vector<std::string> sync(const std::vector<std::string>& args, bool expect_success = true);
  // Runs `jirasync sync ARGS` without waiting; returns the one run it
  // started, or "" after failing the calling test with the output.
  std::string start_run(const std::vector<std::string>& args);

  // Stores on the test database, for assertions.
  testing::SqlTicketTables& tickets();
  SqlRunStore& runs();
  Database& database();
  std::optional<SyncRun> run(const std::string& run_id) { return runs().get_run(run_id); }

  // Asserts (gtest) that the cache holds exactly what Jira holds for `project`.
  void expect_cache_equals_jira(const std::string& project);

  // (ticket_id, run_id, change) groups of ticket_changes with more than one row.
  std::vector<std::string> duplicated_changes();

  // Log tails of every process, for failure messages.
  std::string logs() const;
  // Partitions in the last "<marker>N partition(s)" line of a process's log
  // (the Kafka consumers log each assignment), 0 when none.
  int assigned_partitions(const std::string& instance,
                          const std::string& marker = ": assigned ") const;
  const std::string& dir() const { return dir_; }
  const std::string& topic_prefix() const { return topic_prefix_; }

 private:
  std::map<std::string, std::string> child_env() const;

  std::string dir_;
  std::string topic_prefix_;
  std::string config_path_;
  world::PipelineScale scale_;
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<world::World> world_;
  std::unique_ptr<SimulatorProcess> sim_;
  std::shared_ptr<Database> conn_;
  std::unique_ptr<testing::SqlTicketTables> tickets_;
  std::unique_ptr<SqlRunStore> runs_;
  int cli_calls_ = 0;
};

// A run id from a line "WRKA: full sync queued as run <id>".
std::vector<std::string> run_ids_in(const std::string& cli_output);

// The run ended, in success or for good in failure.
inline bool finished(const std::optional<SyncRun>& run) {
  return run && (run->status == RunStatus::kSuccess || run->status == RunStatus::kFailed);
}

}  // namespace jirasync::e2e
