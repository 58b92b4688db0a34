#include "common/config/cache_ttl.hpp"

namespace jirasync {

const ProjectSettings* configured_project(const Config& config, const std::string& project) {
  for (const auto& p : config.projects)
    if (p.key == project) return &p;
  return nullptr;
}

int64_t cache_ttl_of(const Config& config, const std::string& project) {
  const ProjectSettings* p = configured_project(config, project);
  return p ? p->cache_ttl_ms : kDefaultCacheTtlMs;
}

bool is_stale(const Config& config, const std::string& project, int64_t synced_ms, int64_t now_ms) {
  return now_ms - synced_ms > cache_ttl_of(config, project);
}

std::string configured_project_of_key(const Config& config, const std::string& key) {
  const size_t dash = key.rfind('-');
  if (dash == std::string::npos || dash == 0) return "";
  const std::string project = key.substr(0, dash);
  return configured_project(config, project) ? project : "";
}

}  // namespace jirasync
