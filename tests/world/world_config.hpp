#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jirasync::world {

// A setting as docs/configuration.md names it, dotted ("writer.batch_size")
// and its value as YAML would read it ("500", "false", "2s").
using Setting = std::pair<std::string, std::string>;

struct WorldProject {
  std::string key;
  std::vector<Setting> settings;  // per project: strategy, cache_ttl, full_cron, ...
};

// The configuration every process of one world reads: where Jira (jirasim),
// the database and the bus are, and whatever else the caller sets.
struct WorldConfig {
  std::string jira_base_url;  // "" = the world's simulator
  std::string jira_email = "demo@jirasim.test";
  std::vector<WorldProject> projects;
  std::string database_url;
  std::string bus = "kafka";  // or "inprocess": only `jirasync run` then (no role processes)
  std::string kafka_brokers;
  std::string topic_prefix;
  std::vector<Setting> settings;  // later ones win; "jira.rate_per_s" ...
};

// The YAML text of `config`. Throws std::invalid_argument naming the setting
// when a key is empty or has an empty part ("writer..batch").
std::string config_yaml(const WorldConfig& config);

// "KEY=VALUE" as given on a command line (the value may hold '=').
// Throws std::invalid_argument when there is no '=' or no key.
Setting parse_setting(const std::string& text);

// The project keys of a jirasim --projects list ("WRKA:2000,WMB:1000" -> WRKA, WMB).
std::vector<WorldProject> projects_of(const std::string& simulator_projects);

}  // namespace jirasync::world
