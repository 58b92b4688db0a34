#pragma once

#include <cstdint>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {

// How old a cached ticket may be before the read path calls it stale: its
// project's cache_ttl, or an hour for a project the config does not keep. The
// CLI (search --source auto, show --max-age) and the API share these rules.
inline constexpr int64_t kDefaultCacheTtlMs = 3'600'000;

const ProjectSettings* configured_project(const Config& config, const std::string& project);
int64_t cache_ttl_of(const Config& config, const std::string& project);
// Older than the project's cache_ttl at `now_ms`.
bool is_stale(const Config& config, const std::string& project, int64_t synced_ms, int64_t now_ms);
// The project a key names (WRKA-12 -> WRKA) when the config keeps it, else "".
std::string configured_project_of_key(const Config& config, const std::string& key);

}  // namespace jirasync
