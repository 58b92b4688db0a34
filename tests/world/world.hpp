#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/world/role_process.hpp"
#include "tests/world/simulator.hpp"
#include "tests/world/world_config.hpp"

namespace jirasync::world {

// The roles of the pipeline, in the order they are started.
inline const std::vector<std::string> kPipelineRoles = {"scheduler", "writer", "reconciler",
                                                        "fetcher"};

// Instance names of a role's processes: "fetcher", "fetcher2", "fetcher3", ...
std::string role_instance(const std::string& role, int n);

// How many processes of each scalable role the pipeline runs.
struct PipelineScale {
  int fetchers = 1;
  int reconcilers = 1;  // up to the partitions of issues.raw
  int writers = 1;      // up to the partitions of issues.decided
};

struct WorldOptions {
  std::string dir;      // the config, the logs (NAME.log) and jirasim's port file
  std::string bin_dir;  // where jirasim and jirasync-ROLE are
  std::chrono::milliseconds ready_deadline = std::chrono::seconds(60);
  // When set and true, waiting for readiness gives up at once (a signal arrived).
  const std::atomic<bool>* cancel = nullptr;
};

// One world for a demo, a benchmark or an end-to-end test: jirasim, the
// config every process reads, and the role processes. Scripts drive it
// through `jirasync-world`, tests in-process. Whatever it started is stopped,
// by pid, when it goes away.
class World {
 public:
  explicit World(WorldOptions options);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Starts jirasim (see Simulator) and waits until it answers.
  Simulator& start_simulator(const std::string& projects,
                             const std::vector<std::string>& extra_args = {});
  Simulator* simulator() { return simulator_.get(); }

  // Writes DIR/jirasync.yaml (the simulator's URL when config.jira_base_url
  // is empty). Returns its path.
  const std::string& write_config(WorldConfig config);
  const std::string& config_path() const { return config_path_; }
  // JIRA_API_TOKEN (jirasim's demo account) and JIRASYNC_CONFIG: what every
  // process of the world, the CLI too, gets in its environment.
  std::map<std::string, std::string> child_env() const;

  // Starts one role process as `instance` (default: the role's name),
  // replacing one of that name, and waits for its /readyz.
  RoleProcess& start_role(const std::string& role, const std::string& instance = "",
                          const std::map<std::string, std::string>& env = {});
  // The pipeline: the scheduler and `scale` writers, reconcilers and
  // fetchers, started together, then waited for.
  void start_pipeline(PipelineScale scale = {});
  RoleProcess& role(const std::string& instance);
  bool has_role(const std::string& instance) const { return roles_.count(instance) > 0; }
  std::vector<std::string> instances() const;
  void kill_role(const std::string& instance);  // SIGKILL
  void stop_role(const std::string& instance);  // SIGTERM, SIGKILL after 10 s

  // Every role at once (SIGTERM, then SIGKILL after `grace`), then jirasim.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  void stop_roles(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // The tail of every log, for failure messages.
  std::string logs(size_t bytes_each = 3000) const;
  const std::string& dir() const { return options_.dir; }

 private:
  RoleProcess& launch(const std::string& role, const std::string& instance,
                      const std::map<std::string, std::string>& env);

  WorldOptions options_;
  std::unique_ptr<Simulator> simulator_;
  std::string config_path_;
  std::map<std::string, std::unique_ptr<RoleProcess>> roles_;
};

}  // namespace jirasync::world
