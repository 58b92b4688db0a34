#include "services/fetcher/sync_scope.hpp"

#include <map>
#include <mutex>

namespace jirasync {
namespace {

struct Scopes {
  std::mutex mutex;
  std::map<std::string, std::string> by_project;
};

Scopes& scopes() {
  static Scopes s;
  return s;
}

}  // namespace

void install_sync_scopes(const std::vector<ProjectSettings>& projects) {
  std::map<std::string, std::string> by_project;
  for (const ProjectSettings& p : projects) {
    if (!p.jql.empty()) by_project[p.key] = p.jql;
  }
  Scopes& s = scopes();
  const std::lock_guard<std::mutex> lock(s.mutex);
  s.by_project = std::move(by_project);
}

std::string sync_scope_of(const std::string& project) {
  Scopes& s = scopes();
  const std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.by_project.find(project);
  return it == s.by_project.end() ? std::string() : it->second;
}

std::string scope_clause(const std::string& project) {
  const std::string scope = sync_scope_of(project);
  // Parenthesised: an OR inside must not escape the project condition.
  return scope.empty() ? std::string() : " AND (" + scope + ")";
}

}  // namespace jirasync
