#pragma once

#include <cstdint>
#include <string>

#include "services/api/json/cache_json.hpp"

namespace jirasync {

struct ApiContext;

// The origin of a cached ticket from the freshness seam ("cache"; synced_ms
// falls back to `last_synced_ms` when the seam does not know the ticket;
// stale past its project's cache_ttl). The JSON itself is /api/v1's
// (services/api/json).
IssueOrigin cached_origin(ApiContext& ctx, const std::string& id, const std::string& project,
                          int64_t last_synced_ms = 0);

}  // namespace jirasync
