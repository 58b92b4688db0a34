#include <algorithm>
#include <set>

#include "common/config/config_sources.hpp"
#include "common/config/setting_table.hpp"

namespace jirasync {
namespace {

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string> split_list(const std::string& text, const std::string& key) {
  std::vector<std::string> items;
  if (trimmed(text).empty()) return items;
  size_t begin = 0;
  while (true) {
    const size_t comma = text.find(',', begin);
    std::string item =
        trimmed(text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (item.empty()) throw ConfigError(key, "empty entry in the comma-separated list");
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return items;
}

// JIRASYNC_PROJECTS=A,B selects the projects. A project also described in the
// YAML keeps its settings there; the others get the defaults.
void apply_projects(const std::string& value, Config& config) {
  std::vector<ProjectSettings> selected;
  for (const std::string& key : split_list(value, "JIRASYNC_PROJECTS")) {
    auto known = std::find_if(config.projects.begin(), config.projects.end(),
                              [&](const ProjectSettings& p) { return p.key == key; });
    if (known != config.projects.end()) {
      selected.push_back(*known);
    } else {
      ProjectSettings project;
      project.key = key;
      selected.push_back(project);
    }
  }
  config.projects = std::move(selected);
}

// JIRASYNC_PROJECT_<KEY>_<SETTING>=value overrides one setting of a project
// the file or JIRASYNC_PROJECTS names (JIRASYNC_PROJECT_WRKA_JQL). Project keys
// may hold '_', so the name is matched whole against every project's settings.
// (JIRASYNC_PROJECTS sorts before these, so it has chosen the projects.)
void apply_project_setting(const std::string& name, const std::string& value, Config& config) {
  const ProjectSetting* found = nullptr;
  std::string project;
  for (const ProjectSetting& s : project_settings()) {
    for (ProjectSettings& p : config.projects) {
      if (s.env_name(p.key) == name) {
        found = &s;
        project = p.key;
      }
    }
  }
  if (!found) {
    throw ConfigError(name,
                      "names no setting of a configured project (expected "
                      "JIRASYNC_PROJECT_<KEY>_<SETTING>, a project of the file or "
                      "JIRASYNC_PROJECTS, and one of: " +
                          known_project_keys() + ")");
  }
  for (ProjectSettings& p : config.projects) {
    if (p.key == project) found->assign(p, value, name);
  }
}

// JIRASYNC_KAFKA_EXTRA=prop=value,prop2=value2 merges librdkafka properties.
void apply_kafka_extra(const std::string& value, Config& config) {
  for (const std::string& item : split_list(value, "JIRASYNC_KAFKA_EXTRA")) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      // The item is not echoed: it may be a sasl.password.
      throw ConfigError("JIRASYNC_KAFKA_EXTRA", "expected property=value entries separated by ','");
    }
    config.kafka.extra[trimmed(item.substr(0, eq))] = item.substr(eq + 1);
  }
}

// Names read elsewhere (secrets, the runtime's --config default).
bool handled_elsewhere(const std::string& name) {
  static const std::set<std::string> names = {
      "JIRASYNC_CONFIG", "JIRASYNC_DATABASE_PASSWORD", "JIRASYNC_DATABASE_PASSWORD_FILE",
      "JIRASYNC_WEBHOOK_SECRET", "JIRASYNC_WEBHOOK_SECRET_FILE"};
  return names.count(name) > 0;
}

// An unknown JIRASYNC_<SECTION>_* is a typo of ours to report; other
// JIRASYNC_* names may belong to scripts and tests.
bool in_known_section(const std::string& name) {
  for (std::string_view section : setting_sections()) {
    std::string prefix = "JIRASYNC_";
    for (char c : section) prefix += static_cast<char>(c - 'a' + 'A');
    prefix += '_';
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

}  // namespace

void apply_environment(const Environment& env, Config& config) {
  for (const auto& [name, value] : env) {
    if (!name.starts_with("JIRASYNC_") || handled_elsewhere(name)) continue;
    if (name == "JIRASYNC_PROJECTS") {
      apply_projects(value, config);
    } else if (name.starts_with("JIRASYNC_PROJECT_")) {
      apply_project_setting(name, value, config);
    } else if (name == "JIRASYNC_KAFKA_EXTRA") {
      apply_kafka_extra(value, config);
    } else if (name == "JIRASYNC_JIRA_API_TOKEN" || name == "JIRASYNC_JIRA_API_TOKEN_FILE") {
      throw ConfigError(name, "secrets are read only from JIRA_API_TOKEN or JIRA_API_TOKEN_FILE");
    } else if (name == "JIRASYNC_SCHEDULER_WEBHOOK_SECRET" ||
               name == "JIRASYNC_SCHEDULER_WEBHOOK_SECRET_FILE") {
      // The override name the setting table would give scheduler.webhook_secret.
      throw ConfigError(name,
                        "secrets are read only from JIRASYNC_WEBHOOK_SECRET or "
                        "JIRASYNC_WEBHOOK_SECRET_FILE");
    } else if (const ScalarSetting* setting = find_setting_by_env(name)) {
      assign_setting(*setting, config, value, name);
    } else if (in_known_section(name)) {
      throw ConfigError(name, "unknown setting (typo?)");
    }
  }
}

}  // namespace jirasync
