#include "tests/e2e/pipeline_harness.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "common/store/migrations.hpp"
#include "tests/e2e/cache_comparison.hpp"

namespace jirasync::e2e {

using testing::binary_path;
using testing::ChildProcess;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}

std::string required_env(const char* name) {
  const std::string v = env_or(name, "");
  if (v.empty()) {
    throw std::runtime_error(std::string(name) +
                             " is not set: run `scripts/services.sh start` and export its "
                             "settings (`. /tmp/jirasync-services-$(id -u)/env`)");
  }
  return v;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return std::to_string(::getpid()) + "_" + std::to_string(ms) + "_" + std::to_string(counter++);
}

}  // namespace

std::vector<std::string> run_ids_in(const std::string& cli_output) {
  static const std::regex queued(R"(queued as run (\S+))");
  std::vector<std::string> ids;
  for (std::sregex_iterator it(cli_output.begin(), cli_output.end(), queued), end; it != end;
       ++it) {
    ids.push_back((*it)[1]);
  }
  return ids;
}

PipelineHarness::PipelineHarness() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "jirasync-e2e-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  topic_prefix_ = "e2e." + unique_suffix() + ".";
  db_ = std::make_unique<TestDatabase>();
  // Migrate once here so the services that migrate at start never race on a fresh schema.
  auto db = Database::open(db_->url());
  migrate(*db);
}

PipelineHarness::~PipelineHarness() {
  for (auto& [name, process] : services_) process->stop(std::chrono::seconds(10));
  services_.clear();
  sim_.reset();
  tickets_.reset();
  runs_.reset();
  conn_.reset();
  db_.reset();
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "e2e: logs and config kept in %s\n", dir_.c_str());
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

SimulatorProcess& PipelineHarness::start_simulator(const std::string& projects,
                                                   const std::vector<std::string>& extra_args) {
  sim_ = std::make_unique<SimulatorProcess>(dir_, projects, extra_args);
  return *sim_;
}

void PipelineHarness::configure(const PipelineOptions& o) {
  if (!sim_) throw std::logic_error("start the simulator before writing the config");
  std::ostringstream y;
  y << "jira:\n"
    << "  base_url: " << sim_->base_url() << "\n"
    << "  email: demo@jirasim.test\n"
    << "  timeout_ms: 20000\n"
    << "  max_attempts: " << o.jira_max_attempts << "\n"
    << "  backoff_base_ms: " << o.backoff_base_ms << "\n"
    << "  backoff_max_ms: " << o.backoff_max_ms << "\n"
    << "  sweep_page_size: " << o.sweep_page_size << "\n"
    << "  rate_per_s: " << o.rate_per_s << "\n"
    << "  rate_burst: " << o.rate_burst << "\n"
    << "  overlap_ms: " << o.overlap_ms << "\n"
    << "projects:\n";
  for (const auto& p : o.projects) {
    y << "  - key: " << p.key << "\n"
      << "    strategy: " << p.strategy
      << "\n"
      // Cron never fires during a test: only the runs a test starts exist.
      << "    incremental_cron: \"0 0 1 1 *\"\n"
      << "    full_cron: \"0 0 1 1 *\"\n";
    if (!p.cache_ttl.empty()) y << "    cache_ttl: " << p.cache_ttl << "\n";
  }
  y << "database_url: " << db_->url() << "\n"
    << "bus: kafka\n"
    << "kafka:\n"
    << "  brokers: " << required_env("JIRASYNC_TEST_KAFKA_BROKERS") << "\n"
    << "  topic_prefix: \"" << topic_prefix_ << "\"\n"
    << "  api_version_request: " << env_or("JIRASYNC_KAFKA_API_VERSION_REQUEST", "false") << "\n"
    << "  broker_version_fallback: \""
    << env_or("JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1") << "\"\n"
    << "log_level: info\n"
    << "writer:\n"
    << "  batch_size: " << o.writer_batch_size << "\n"
    << "runs:\n"
    << "  max_attempts: " << o.max_run_attempts << "\n"
    << "  lease_ms: " << o.lease_ms << "\n";
  config_path_ = dir_ + "/jirasync.yaml";
  std::ofstream(config_path_) << y.str();
}

std::map<std::string, std::string> PipelineHarness::child_env() const {
  return {{"JIRA_API_TOKEN", "jirasim-demo-token"}, {"JIRASYNC_CONFIG", config_path_}};
}

void PipelineHarness::start_service(const std::string& role, const std::string& instance,
                                    const std::map<std::string, std::string>& env) {
  if (config_path_.empty()) throw std::logic_error("configure() before starting services");
  const std::string name = instance.empty() ? role : instance;
  auto& slot = services_[name];
  if (slot) slot->stop(std::chrono::seconds(10));
  auto process_env = child_env();
  for (const auto& [k, v] : env) process_env[k] = v;
  slot = std::make_unique<ChildProcess>(
      std::vector<std::string>{binary_path("jirasync-" + role), "--config", config_path_},
      process_env, dir_ + "/" + name + ".log");
}

void PipelineHarness::start_all_services() {
  for (const char* role : {"scheduler", "writer", "reconciler", "fetcher"}) start_service(role);
}

void PipelineHarness::kill_service(const std::string& instance) {
  auto it = services_.find(instance);
  if (it == services_.end()) throw std::logic_error("no service " + instance);
  it->second->kill_hard();
}

void PipelineHarness::stop_service(const std::string& instance) {
  auto it = services_.find(instance);
  if (it == services_.end()) throw std::logic_error("no service " + instance);
  it->second->stop(std::chrono::seconds(10));
}

bool PipelineHarness::service_running(const std::string& instance) {
  auto it = services_.find(instance);
  return it != services_.end() && it->second->running();
}

testing::CommandResult PipelineHarness::cli(const std::vector<std::string>& args,
                                            std::chrono::milliseconds deadline) {
  std::vector<std::string> argv{binary_path("jirasync"), "--config", config_path_};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir_ + "/cli-" + std::to_string(++cli_calls_) + ".log";
  return testing::run_to_exit(argv, child_env(), log, deadline);
}

std::vector<std::string> PipelineHarness::sync(const std::vector<std::string>& args,
                                               bool expect_success) {
  std::vector<std::string> full{"sync"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--wait");
  const auto result = cli(full);
  if (expect_success && result.exit_code != 0) {
    ADD_FAILURE() << "jirasync sync exited " << result.exit_code << ":\n"
                  << result.output << "\n"
                  << logs();
  }
  return run_ids_in(result.output);
}

Database& PipelineHarness::database() {
  if (!conn_) conn_ = Database::open(db_->url());
  return *conn_;
}

testing::SqlTicketTables& PipelineHarness::tickets() {
  if (!tickets_) {
    database();
    tickets_ = std::make_unique<testing::SqlTicketTables>(conn_);
  }
  return *tickets_;
}

SqlRunStore& PipelineHarness::runs() {
  if (!runs_) {
    database();
    runs_ = std::make_unique<SqlRunStore>(conn_);
  }
  return *runs_;
}

void PipelineHarness::expect_cache_equals_jira(const std::string& project) {
  const auto jira = jira_truth(sim_->base_url(), project);
  const auto cache = cached_issues(tickets(), project);
  const auto diff = differences(jira, cache);
  std::string report;
  for (const auto& line : diff) report += "  " + line + "\n";
  EXPECT_TRUE(diff.empty()) << "project " << project << ": the cache is not Jira:\n" << report;
  EXPECT_FALSE(jira.empty()) << "project " << project << " has no issues in Jira";
}

std::vector<std::string> PipelineHarness::duplicated_changes() {
  auto lock = database().lock();
  soci::rowset<soci::row> rows =
      (database().session().prepare << "SELECT ticket_id, run_id, change, COUNT(*) FROM "
                                       "ticket_changes GROUP BY ticket_id, run_id, change "
                                       "HAVING COUNT(*) > 1");
  std::vector<std::string> out;
  for (const auto& r : rows) {
    out.push_back(r.get<std::string>(0) + "/" + r.get<std::string>(1) + "/" +
                  r.get<std::string>(2) + " x" + std::to_string(r.get<long long>(3)));
  }
  return out;
}

std::string PipelineHarness::logs() const {
  std::string out;
  for (const auto& [name, process] : services_) {
    out += "---- " + name + " (" + process->log_path() + ") ----\n" + process->log_tail(3000);
  }
  if (sim_) out += "---- jirasim ----\n" + sim_->log_tail();
  return out;
}

}  // namespace jirasync::e2e
