#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/json/json_writer.hpp"
#include "common/store/change_feed.hpp"

namespace jirasync {

// Where the change feed starts for GET /api/v1/changes and MCP list_changes:
// `since` (a duration ago or a time) when given, else the viewer's last look,
// else a day before `now_ms`. A bad `since` throws std::invalid_argument.
int64_t feed_since_ms(ChangeFeed& changes, int64_t now_ms, const std::optional<std::string>& since,
                      const std::optional<std::string>& viewer);

// One entry of the change feed: {"key","id","project","summary","status",
// "badge","changed_ms","changes","detail"}.
void write_feed_entry(JsonWriter& w, const FeedEntry& entry);

}  // namespace jirasync
