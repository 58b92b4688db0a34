#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/config/config.hpp"

namespace jirasync {

// Where a scalar setting lives in Config, typed, so YAML and environment
// overrides share one list (a key added here exists in both).
using SettingTarget = std::variant<std::string*, int*, int64_t*, double*, bool*, BusKind*>;

struct ScalarSetting {
  std::string_view section;  // "jira", "kafka", ...; "" for top-level keys
  std::string_view name;     // "timeout_ms"
  SettingTarget (*target)(Config&);

  std::string path() const;      // "jira.timeout_ms", "bus"
  std::string env_name() const;  // "JIRASYNC_JIRA_TIMEOUT_MS", "JIRASYNC_BUS"
};

// The sections that are mappings of scalars (plus kafka.extra).
const std::vector<std::string_view>& setting_sections();
const std::vector<ScalarSetting>& scalar_settings();
const ScalarSetting* find_setting(std::string_view section, std::string_view name);
const ScalarSetting* find_setting_by_env(std::string_view env_name);
// "base_url, email, ..." for an unknown-key message.
std::string known_keys(std::string_view section);

// Parses `text` as the setting's type and stores it. Errors name `key` (the
// YAML path or the environment variable the text came from).
void assign_setting(const ScalarSetting& setting, Config& config, const std::string& text,
                    const std::string& key);

}  // namespace jirasync

namespace jirasync {

// A scalar key of one `projects:` entry, so the YAML reader, the
// JIRASYNC_PROJECT_<KEY>_<NAME> overrides and the unknown-key message share
// one list. (`key` and the `field_strategy` mapping are read apart.)
struct ProjectSetting {
  std::string_view name;  // "jql"
  // Parses `text` into the project; errors name `key`.
  void (*assign)(ProjectSettings& project, const std::string& text, const std::string& key);

  // "JIRASYNC_PROJECT_WRKA_JQL" for project WRKA.
  std::string env_name(const std::string& project) const;
};

const std::vector<ProjectSetting>& project_settings();
const ProjectSetting* find_project_setting(std::string_view name);
// "key, strategy, field_strategy, ..." for an unknown-key message.
std::string known_project_keys();

}  // namespace jirasync
