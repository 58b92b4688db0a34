// jirasync-world: brings up a world (jirasim, the config, the pipeline's role
// processes) for scripts/demo.sh and bench/pipeline_bench.sh, keeps it up
// until SIGINT/SIGTERM and then stops everything it started, by pid.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/world/world.hpp"

namespace {

using namespace jirasync::world;

std::atomic<bool> stop_requested{false};

void on_stop_signal(int) {
  stop_requested = true;
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string own_directory() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? "." : self.parent_path().string();
}

// DIR/world.env: what a script needs, as shell assignments; written last, by
// rename, so its presence means the world is up.
void write_env_file(World& world, const std::string& dir, double sim_ready_s) {
  std::ostringstream out;
  out << "WORLD_DIR=" << shell_quoted(dir) << "\n"
      << "WORLD_CONFIG=" << shell_quoted(world.config_path()) << "\n";
  if (auto* sim = world.simulator()) {
    out << "WORLD_SIM_URL=" << shell_quoted(sim->base_url()) << "\n"
        << "WORLD_SIM_PID=" << sim->pid() << "\n"
        << "WORLD_SIM_READY_S=" << sim_ready_s << "\n";
  }
  std::string names;
  for (const auto& name : world.instances()) {
    auto& role = world.role(name);
    names += (names.empty() ? "" : " ") + name;
    out << "WORLD_PID_" << name << "=" << role.pid() << "\n"
        << "WORLD_LISTEN_" << name << "=" << shell_quoted(role.listen()) << "\n";
  }
  out << "WORLD_ROLES=" << shell_quoted(names) << "\n";
  const std::string path = dir + "/world.env";
  std::ofstream(path + ".tmp") << out.str();
  std::filesystem::rename(path + ".tmp", path);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Brings up a Jirasync world: jirasim with generated projects, the config every process "
      "reads (DIR/jirasync.yaml) and, on Kafka, the scheduler, writer, reconciler and N "
      "fetchers, each waited for on /readyz. Logs go to DIR/NAME.log. When it is up, "
      "DIR/world.env holds the config's path, jirasim's URL and each process's pid and "
      "listen address (WORLD_PID_fetcher2=...). It stays up until SIGINT or SIGTERM, then "
      "stops every process it started."};
  std::string dir, projects = "WRKA:2000,WMB:1000", bus = "kafka", database_url, brokers,
                   topic_prefix, bin_dir = own_directory();
  std::vector<std::string> sim_args, set_args;
  PipelineScale scale;
  int ready_timeout_s = 60;
  app.add_option("--dir", dir, "Work directory: config, logs, world.env (created)")->required();
  app.add_option("--projects", projects,
                 "jirasim's projects, KEY:ISSUES,...; the config syncs these keys")
      ->capture_default_str();
  app.add_option("--sim-arg", sim_args,
                 "One more jirasim flag, repeatable (--sim-arg=--seed --sim-arg=7)")
      ->allow_extra_args(false);
  app.add_option("--bus", bus,
                 "kafka: start the role processes; inprocess: only the config, for `jirasync run`")
      ->check(CLI::IsMember({"kafka", "inprocess"}))
      ->capture_default_str();
  app.add_option("--database-url", database_url, "database_url of the config")->required();
  app.add_option("--brokers", brokers, "kafka.brokers (needed with --bus kafka)");
  app.add_option("--topic-prefix", topic_prefix, "kafka.topic_prefix (default: world<unix time>.)");
  app.add_option("--fetchers", scale.fetchers, "Fetcher processes: fetcher, fetcher2, ...")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  app.add_option("--reconcilers", scale.reconcilers,
                 "Reconciler processes: reconciler, reconciler2, ... (work goes to at most the "
                 "topic's partitions)")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  app.add_option("--writers", scale.writers,
                 "Writer processes: writer, writer2, ... (work goes to at most the topic's "
                 "partitions)")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  app.add_option("--set", set_args,
                 "KEY=VALUE: one more config setting, repeatable (writer.batch_size=500)")
      ->allow_extra_args(false);
  app.add_option("--ready-timeout", ready_timeout_s, "Seconds each process may take to be ready")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--bin", bin_dir, "Where jirasim and jirasync-ROLE are (default: beside this)")
      ->capture_default_str();

  WorldConfig config;
  try {
    app.parse(argc, argv);
    if (bus == "kafka" && brokers.empty()) {
      throw CLI::ValidationError("--brokers", "is needed with --bus kafka");
    }
    for (const auto& s : set_args) config.settings.push_back(parse_setting(s));
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "jirasync-world: --set " << e.what() << "\n";
    return 2;
  }

  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  try {
    std::filesystem::create_directories(dir);
    dir = std::filesystem::canonical(dir).string();
    std::filesystem::remove(dir + "/world.env");
    WorldOptions options{dir, bin_dir, std::chrono::seconds(ready_timeout_s), &stop_requested};
    World world(options);
    const auto started = std::chrono::steady_clock::now();
    auto& sim = world.start_simulator(projects, sim_args);
    const double sim_ready_s = seconds_since(started);
    std::printf("jirasync-world: jirasim on %s (pid %d)\n", sim.base_url().c_str(), sim.pid());
    config.projects = projects_of(projects);
    config.database_url = database_url;
    config.bus = bus;
    config.kafka_brokers = brokers;
    config.topic_prefix =
        topic_prefix.empty() ? "world" + std::to_string(time(nullptr)) + "." : topic_prefix;
    world.write_config(config);
    if (bus == "kafka") world.start_pipeline(scale);
    write_env_file(world, dir, sim_ready_s);
    std::printf("jirasync-world: up in %.1f s: %s (config %s)\n", seconds_since(started),
                (dir + "/world.env").c_str(), world.config_path().c_str());
    std::fflush(stdout);

    // Up until told to stop; a process that exits meanwhile is reported once.
    std::set<std::string> gone;
    while (!stop_requested) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      for (const auto& name : world.instances()) {
        if (!gone.count(name) && !world.role(name).running()) {
          gone.insert(name);
          std::printf("jirasync-world: %s exited\n", name.c_str());
          std::fflush(stdout);
        }
      }
    }
    std::printf("jirasync-world: stopping\n");
    std::fflush(stdout);
    world.stop();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jirasync-world: %s\n", e.what());
    return 1;
  }
}
