#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/envelope/decision.hpp"

namespace jirasync {

// The fields a user may override locally; only these can conflict with Jira.
const std::vector<std::string>& overridable_fields();

// How one project settles a local override that Jira changed underneath:
// a project-wide strategy with optional per-field overrides.
struct ConflictPolicy {
  ConflictStrategy strategy = ConflictStrategy::kJiraWins;
  std::map<std::string, ConflictStrategy> field_strategy;

  ConflictStrategy for_field(const std::string& field) const;

  // Throws ConfigError naming the offending setting (unknown strategy or field).
  static ConflictPolicy from_settings(const ProjectSettings& settings);
};

// Every configured project's policy; unconfigured projects get the default (JIRA_WINS).
class ConflictPolicies {
 public:
  ConflictPolicies() = default;
  explicit ConflictPolicies(const std::vector<ProjectSettings>& projects);

  const ConflictPolicy& for_project(const std::string& project) const;

 private:
  std::map<std::string, ConflictPolicy> by_project_;
  ConflictPolicy default_;
};

}  // namespace jirasync
