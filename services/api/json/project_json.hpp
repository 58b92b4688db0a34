#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/config/config.hpp"
#include "common/json/json_writer.hpp"
#include "common/store/sync_run.hpp"

namespace jirasync {

// When the newest successful sync (not a refresh) of `newest_first` finished.
std::optional<int64_t> last_success_ms(const std::vector<SyncRun>& newest_first);

// The members GET /api/v1/projects and MCP sync_status both show for a project:
// "key","tickets","ttl_ms","last_success_ms"|null,"age_ms"|null,"stale",
// "cursor_ms","last_run":run|null (the caller opens and closes the object).
void write_project_status_members(JsonWriter& w, const ProjectSettings& project, int64_t tickets,
                                  const std::vector<SyncRun>& newest_first, int64_t cursor_ms,
                                  int64_t now_ms);

}  // namespace jirasync
