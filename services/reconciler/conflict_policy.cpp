#include "services/reconciler/conflict_policy.hpp"

#include <algorithm>

#include "common/json/payload_error.hpp"

namespace jirasync {

const std::vector<std::string>& overridable_fields() {
  static const std::vector<std::string> fields = {"summary",  "status", "priority",
                                                  "assignee", "labels", "description"};
  return fields;
}

ConflictStrategy ConflictPolicy::for_field(const std::string& field) const {
  auto it = field_strategy.find(field);
  return it == field_strategy.end() ? strategy : it->second;
}

namespace {

ConflictStrategy parse_strategy(const std::string& setting, const std::string& value) {
  try {
    return conflict_strategy_from_string(value);
  } catch (const PayloadError&) {
    throw ConfigError(setting, "unknown conflict strategy '" + value +
                                   "' (expected JIRA_WINS, LOCAL_WINS, NEWEST_WINS or MANUAL)");
  }
}

}  // namespace

ConflictPolicy ConflictPolicy::from_settings(const ProjectSettings& settings) {
  const std::string prefix = "projects[" + settings.key + "]";
  ConflictPolicy policy;
  policy.strategy = parse_strategy(prefix + ".strategy", settings.strategy);
  const auto& fields = overridable_fields();
  for (const auto& [field, value] : settings.field_strategy) {
    const std::string setting = prefix + ".field_strategy." + field;
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
      throw ConfigError(setting,
                        "unknown field (expected summary, status, priority, assignee, labels or "
                        "description)");
    }
    policy.field_strategy[field] = parse_strategy(setting, value);
  }
  return policy;
}

ConflictPolicies::ConflictPolicies(const std::vector<ProjectSettings>& projects) {
  for (const auto& project : projects) {
    by_project_[project.key] = ConflictPolicy::from_settings(project);
  }
}

const ConflictPolicy& ConflictPolicies::for_project(const std::string& project) const {
  auto it = by_project_.find(project);
  return it == by_project_.end() ? default_ : it->second;
}

}  // namespace jirasync
