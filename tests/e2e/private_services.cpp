#include "tests/e2e/private_services.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include <soci/soci.h>

#include "common/store/database.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {

namespace {

using namespace std::chrono_literals;

#ifndef JIRASYNC_SOURCE_DIR
#error "JIRASYNC_SOURCE_DIR must name the repository (tests/e2e/CMakeLists.txt sets it)"
#endif

// The variables services.sh exports that PipelineHarness reads.
constexpr const char* kExported[] = {"JIRASYNC_TEST_PG_URL", "JIRASYNC_TEST_KAFKA_BROKERS"};

}  // namespace

PrivateServices::PrivateServices() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "jirasync-outage-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  std::string output;
  if (!script("start", &output)) {
    script("stop");
    throw std::runtime_error("private services did not start (" + dir_ + "):\n" + output);
  }
  export_env();
  durable_commits();
}

void PrivateServices::durable_commits() {
  // services.sh trades durability for speed (synchronous_commit = off); a
  // killed server then forgets commits it confirmed, which no production
  // server does. This cluster is killed on purpose: make commits durable.
  const std::string url = std::getenv("JIRASYNC_TEST_PG_URL");
  const auto at = url.find('@');
  const auto slash = url.find('/', at);
  auto admin =
      Database::open("postgresql://postgres@" + url.substr(at + 1, slash - at - 1) + "/postgres");
  auto lock = admin->lock();
  admin->session() << "ALTER SYSTEM SET synchronous_commit = on";
  admin->session() << "SELECT pg_reload_conf()";
}

PrivateServices::~PrivateServices() {
  for (const auto& [name, value] : saved_env_) {
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
  std::string output;
  if (!script("stop", &output)) {
    std::fprintf(stderr, "e2e: stopping the private services failed:\n%s\n", output.c_str());
  }
  if (::testing::Test::HasFailure()) {
    std::fprintf(stderr, "e2e: private services' logs kept in %s\n", dir_.c_str());
  } else {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

bool PrivateServices::script(const std::string& command, std::string* output) {
  // Fresh ports, chosen by the script: none inherited from the shared services.
  const std::map<std::string, std::string> env{{"JIRASYNC_SERVICES_DIR", dir_},
                                               {"JIRASYNC_PG_PORT", ""},
                                               {"JIRASYNC_ZK_PORT", ""},
                                               {"JIRASYNC_KAFKA_PORT", ""}};
  const auto result = testing::run_to_exit(
      {"/bin/bash", std::string(JIRASYNC_SOURCE_DIR) + "/scripts/services.sh", command}, env,
      dir_ + "/services-" + std::to_string(++script_calls_) + ".log", 4min);
  if (output) *output = result.output;
  return result.exit_code == 0;
}

void PrivateServices::export_env() {
  std::ifstream in(dir_ + "/env");
  static const std::regex line(R"(export (\w+)='([^']*)')");
  std::map<std::string, std::string> found;
  for (std::string text; std::getline(in, text);) {
    std::smatch m;
    if (std::regex_match(text, m, line)) found[m[1]] = m[2];
  }
  for (const char* name : kExported) {
    if (!found.count(name)) throw std::runtime_error(dir_ + "/env does not set " + name);
    if (!saved_env_.count(name)) {
      const char* old = std::getenv(name);
      saved_env_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    setenv(name, found[name].c_str(), 1);
  }
}

void PrivateServices::stop_postgres() {
  // As services.sh runs it: as the postgres user when we are root.
  std::vector<std::string> argv{"/usr/lib/postgresql/15/bin/pg_ctl",
                                "stop",
                                "-D",
                                dir_ + "/pg/data",
                                "-m",
                                "fast",
                                "-w",
                                "-t",
                                "60"};
  if (geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  const auto result = testing::run_to_exit(
      argv, {}, dir_ + "/pg-stop-" + std::to_string(++script_calls_) + ".log", 2min);
  if (result.exit_code != 0) throw std::runtime_error("pg_ctl stop failed:\n" + result.output);
}

void PrivateServices::kill_pidfile(const std::string& path, const char* what) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 1)
    throw std::runtime_error(std::string("no pid of ") + what + " in " + path);
  if (::kill(static_cast<pid_t>(pid), SIGKILL) != 0) {
    throw std::runtime_error(std::string("kill -9 of ") + what + " (pid " + std::to_string(pid) +
                             ") failed");
  }
}

void PrivateServices::kill_postgres() {
  // The first line of postmaster.pid is the postmaster's pid.
  kill_pidfile(dir_ + "/pg/data/postmaster.pid", "the postmaster");
}

void PrivateServices::kill_kafka() {
  kill_pidfile(dir_ + "/kafka/pid", "the Kafka broker");
}

void PrivateServices::start_again(std::chrono::milliseconds deadline) {
  std::string output;
  const bool started = testing::wait_until([&] { return script("start", &output); }, deadline, 1s);
  if (!started) {
    throw std::runtime_error("private services did not start again (" + dir_ + "):\n" + output);
  }
}

}  // namespace jirasync::e2e
