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

// As YAML reads a number back: 0.5, 20 (never 20.000000).
std::string number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
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
  // The database first: without one (no services running) the constructor
  // throws, and no destructor would remove a directory made before.
  db_ = std::make_unique<TestDatabase>();
  // Migrate once here so the services that migrate at start never race on a fresh schema.
  auto db = Database::open(db_->url());
  migrate(*db);
  std::string tmpl = (std::filesystem::temp_directory_path() / "jirasync-e2e-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  topic_prefix_ = "e2e." + unique_suffix() + ".";
  const auto bin_dir = std::filesystem::path(testing::binary_path("jirasim")).parent_path();
  // 2 minutes: a role started right after an outage ends waits for its broker.
  world_ = std::make_unique<world::World>(
      world::WorldOptions{dir_, bin_dir.string(), std::chrono::minutes(2)});
}

PipelineHarness::~PipelineHarness() {
  sim_.reset();
  world_->stop();
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
  sim_.reset();
  sim_ = std::make_unique<SimulatorProcess>(world_->start_simulator(projects, extra_args));
  return *sim_;
}

void PipelineHarness::configure(const PipelineOptions& o) {
  if (!sim_) throw std::logic_error("start the simulator before writing the config");
  world::WorldConfig c;
  for (const auto& p : o.projects) {
    world::WorldProject project{p.key,
                                {{"strategy", p.strategy},
                                 // Cron never fires during a test: only the runs a test starts.
                                 {"incremental_cron", "0 0 1 1 *"},
                                 {"full_cron", "0 0 1 1 *"}}};
    if (!p.cache_ttl.empty()) project.settings.emplace_back("cache_ttl", p.cache_ttl);
    c.projects.push_back(std::move(project));
  }
  c.database_url = db_->url();
  c.kafka_brokers = required_env("JIRASYNC_TEST_KAFKA_BROKERS");
  c.topic_prefix = topic_prefix_;
  c.settings = {
      {"jira.timeout_ms", "20000"},
      {"jira.max_attempts", std::to_string(o.jira_max_attempts)},
      {"jira.backoff_base_ms", std::to_string(o.backoff_base_ms)},
      {"jira.backoff_max_ms", std::to_string(o.backoff_max_ms)},
      {"jira.sweep_page_size", std::to_string(o.sweep_page_size)},
      {"jira.rate_per_s", number(o.rate_per_s)},
      {"jira.rate_burst", number(o.rate_burst)},
      {"jira.overlap_ms", std::to_string(o.overlap_ms)},
      {"kafka.api_version_request", env_or("JIRASYNC_KAFKA_API_VERSION_REQUEST", "false")},
      {"kafka.broker_version_fallback",
       env_or("JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1")},
      {"log_level", "info"},
      {"writer.batch_size", std::to_string(o.writer_batch_size)},
      {"runs.max_attempts", std::to_string(o.max_run_attempts)},
      {"runs.lease_ms", std::to_string(o.lease_ms)},
  };
  config_path_ = world_->write_config(std::move(c));
  scale_ = {o.fetchers, o.reconcilers, o.writers};
}

std::map<std::string, std::string> PipelineHarness::child_env() const {
  return world_->child_env();
}

void PipelineHarness::start_service(const std::string& role, const std::string& instance,
                                    const std::map<std::string, std::string>& env) {
  if (config_path_.empty()) throw std::logic_error("configure() before starting services");
  world_->start_role(role, instance, env);
}

void PipelineHarness::start_all_services() {
  if (config_path_.empty()) throw std::logic_error("configure() before starting services");
  world_->start_pipeline(scale_);
}

void PipelineHarness::kill_service(const std::string& instance) {
  world_->kill_role(instance);
}

void PipelineHarness::stop_service(const std::string& instance) {
  world_->stop_role(instance);
}

bool PipelineHarness::service_running(const std::string& instance) {
  return world_->has_role(instance) && world_->role(instance).running();
}

testing::CommandResult PipelineHarness::cli(const std::vector<std::string>& args,
                                            std::chrono::milliseconds deadline) {
  std::vector<std::string> argv{testing::binary_path("jirasync"), "--config", config_path_};
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

std::string PipelineHarness::start_run(const std::vector<std::string>& args) {
  std::vector<std::string> full{"sync"};
  full.insert(full.end(), args.begin(), args.end());
  const auto result = cli(full);
  const auto ids = run_ids_in(result.output);
  if (result.exit_code != 0 || ids.size() != 1) {
    ADD_FAILURE() << "jirasync sync exited " << result.exit_code << " with " << ids.size()
                  << " run(s) started:\n"
                  << result.output;
    return "";
  }
  return ids[0];
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
  return world_->logs();
}

int PipelineHarness::assigned_partitions(const std::string& instance,
                                         const std::string& marker) const {
  std::ifstream in(dir_ + "/" + instance + ".log");
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  const size_t at = log.rfind(marker);
  return at == std::string::npos ? 0 : std::atoi(log.c_str() + at + marker.size());
}

}  // namespace jirasync::e2e
