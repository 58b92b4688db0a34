#include "tests/world/world_config.hpp"

#include <yaml-cpp/yaml.h>

#include <sstream>
#include <stdexcept>

namespace jirasync::world {

namespace {

std::vector<std::string> key_parts(const std::string& key) {
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) parts.push_back(part);
  if (key.empty() || key.back() == '.' || parts.empty()) {
    throw std::invalid_argument("setting '" + key + "': expected a key like writer.batch_size");
  }
  for (const auto& part : parts) {
    if (part.empty()) {
      throw std::invalid_argument("setting '" + key + "': expected a key like writer.batch_size");
    }
  }
  return parts;
}

// Sets root[a][b]... = value, making the maps on the way.
void set_at(YAML::Node root, const std::string& key, const std::string& value) {
  const auto parts = key_parts(key);
  // YAML::Node is a handle: assigning to `node` would rebind it, so walk with reset().
  YAML::Node node = root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!node[parts[i]].IsMap()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
    YAML::Node child = node[parts[i]];
    node.reset(child);
  }
  node[parts.back()] = value;
}

}  // namespace

std::string config_yaml(const WorldConfig& config) {
  YAML::Node root(YAML::NodeType::Map);
  set_at(root, "jira.base_url", config.jira_base_url);
  set_at(root, "jira.email", config.jira_email);
  YAML::Node projects(YAML::NodeType::Sequence);
  for (const auto& p : config.projects) {
    YAML::Node project;
    project["key"] = p.key;
    for (const auto& [key, value] : p.settings) set_at(project, key, value);
    projects.push_back(project);
  }
  root["projects"] = projects;
  root["database_url"] = config.database_url;
  root["bus"] = config.bus;
  if (config.bus == "kafka") {
    set_at(root, "kafka.brokers", config.kafka_brokers);
    set_at(root, "kafka.topic_prefix", config.topic_prefix);
  }
  for (const auto& [key, value] : config.settings) set_at(root, key, value);
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

Setting parse_setting(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw std::invalid_argument("setting '" + text +
                                "': expected KEY=VALUE, e.g. writer.batch_size=500");
  }
  Setting s{text.substr(0, eq), text.substr(eq + 1)};
  key_parts(s.first);
  return s;
}

std::vector<WorldProject> projects_of(const std::string& simulator_projects) {
  std::vector<WorldProject> out;
  std::stringstream in(simulator_projects);
  for (std::string spec; std::getline(in, spec, ',');) {
    const std::string key = spec.substr(0, spec.find(':'));
    if (!key.empty()) out.push_back({key, {}});
  }
  return out;
}

}  // namespace jirasync::world
