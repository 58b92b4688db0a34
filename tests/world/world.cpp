#include "tests/world/world.hpp"

#include <fstream>
#include <stdexcept>

namespace jirasync::world {

std::string role_instance(const std::string& role, int n) {
  return n <= 1 ? role : role + std::to_string(n);
}

World::World(WorldOptions options) : options_(std::move(options)) {}

World::~World() {
  stop();
}

Simulator& World::start_simulator(const std::string& projects,
                                  const std::vector<std::string>& extra_args) {
  simulator_.reset();
  simulator_ = std::make_unique<Simulator>(options_.bin_dir, options_.dir, projects, extra_args,
                                           options_.ready_deadline);
  return *simulator_;
}

const std::string& World::write_config(WorldConfig config) {
  if (config.jira_base_url.empty()) {
    if (!simulator_) throw std::logic_error("start the simulator before writing the config");
    config.jira_base_url = simulator_->base_url();
  }
  const std::string path = options_.dir + "/jirasync.yaml";
  std::ofstream out(path);
  out << config_yaml(config);
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  config_path_ = path;
  return config_path_;
}

std::map<std::string, std::string> World::child_env() const {
  return {{"JIRA_API_TOKEN", "jirasim-demo-token"}, {"JIRASYNC_CONFIG", config_path_}};
}

RoleProcess& World::launch(const std::string& role, const std::string& instance,
                           const std::map<std::string, std::string>& env) {
  if (config_path_.empty()) throw std::logic_error("write the config before starting roles");
  const std::string name = instance.empty() ? role : instance;
  auto& slot = roles_[name];
  if (slot) slot->stop(std::chrono::seconds(10));
  auto process_env = child_env();
  for (const auto& [k, v] : env) process_env[k] = v;
  slot = std::make_unique<RoleProcess>(options_.bin_dir, role, config_path_, process_env,
                                       options_.dir + "/" + name + ".log");
  return *slot;
}

RoleProcess& World::start_role(const std::string& role, const std::string& instance,
                               const std::map<std::string, std::string>& env) {
  auto& process = launch(role, instance, env);
  process.wait_ready(options_.ready_deadline, options_.cancel);
  return process;
}

void World::start_pipeline(PipelineScale scale) {
  std::vector<RoleProcess*> started;
  for (const auto& role : kPipelineRoles) {
    const int count = role == "fetcher"      ? scale.fetchers
                      : role == "reconciler" ? scale.reconcilers
                      : role == "writer"     ? scale.writers
                                             : 1;
    for (int n = 1; n <= count; ++n) started.push_back(&launch(role, role_instance(role, n), {}));
  }
  for (auto* process : started) process->wait_ready(options_.ready_deadline, options_.cancel);
}

RoleProcess& World::role(const std::string& instance) {
  auto it = roles_.find(instance);
  if (it == roles_.end()) throw std::logic_error("no role process named " + instance);
  return *it->second;
}

std::vector<std::string> World::instances() const {
  std::vector<std::string> out;
  for (const auto& [name, process] : roles_) out.push_back(name);
  return out;
}

void World::kill_role(const std::string& instance) {
  role(instance).kill_hard();
}

void World::stop_role(const std::string& instance) {
  role(instance).stop(std::chrono::seconds(10));
}

void World::stop_roles(std::chrono::milliseconds grace) {
  // All asked at once: N roles stop in one grace period, not N.
  for (auto& [name, process] : roles_) process->signal_stop();
  for (auto& [name, process] : roles_) process->stop(grace);
}

void World::stop(std::chrono::milliseconds grace) {
  stop_roles(grace);
  roles_.clear();
  simulator_.reset();
}

std::string World::logs(size_t bytes_each) const {
  std::string out;
  for (const auto& [name, process] : roles_) {
    out += "---- " + name + " (" + process->log_path() + ") ----\n" + process->log_tail(bytes_each);
  }
  if (simulator_) {
    out +=
        "---- jirasim (" + simulator_->log_path() + ") ----\n" + simulator_->log_tail(bytes_each);
  }
  return out;
}

}  // namespace jirasync::world
