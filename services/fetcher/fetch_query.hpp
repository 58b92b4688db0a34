#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// JQL the fetcher sends. Times are epoch milliseconds, never a bare date-time:
// Jira reads a bare date-time in the account's time zone.
std::string quote_jql(const std::string& value);
// Issues of `project` updated at or after `since_ms` (0 = all), oldest first.
std::string updated_since_jql(const std::string& project, int64_t since_ms);
// Every issue of `project`, in a stable order, for the id-only deletion sweep.
std::string sweep_jql(const std::string& project);

}  // namespace jirasync
