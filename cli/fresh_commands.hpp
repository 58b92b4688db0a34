#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"

namespace jirasync {

// `jirasync show KEY [--max-age D]`: with --max-age, a ticket older than D is
// fetched again from Jira first; without it, older than its project's
// cache_ttl is only marked stale. An unreachable Jira serves the cache, saying so.
int show_fresh_command(CliContext& ctx, const std::string& key, OutputFormat format,
                       std::optional<int64_t> max_age_ms);

struct RefreshRequest {
  std::vector<std::string> keys;
  std::string jql;  // or: every cached ticket this JQL selects
  int64_t budget_ms = 120000;
  OutputFormat format = OutputFormat::kTable;
};
// `jirasync refresh KEY... | --jql JQL`: fetches them again, waits, reports
// each ticket. Exit 1 when any was not refreshed.
int refresh_command(CliContext& ctx, const RefreshRequest& request);

}  // namespace jirasync
