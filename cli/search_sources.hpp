#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"
#include "cli/refresh_runner.hpp"
#include "cli/search_command.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace jirasync {

// Where one result row came from and how old it is (the cached-vs-live
// indicator every search result carries).
struct RowOrigin {
  std::string source = "cache";  // "cache" or "jira" (refreshed for this search)
  int64_t synced_ms = 0;
  bool stale = false;  // older than its project's cache_ttl
};

// `--source auto`: the cached rows older than their project's cache_ttl are
// refreshed first, within `budget_ms` (one refresh run per project); what did
// not make it stays as cached, marked stale. `note` says why, if anything was
// not refreshed.
struct AutoRefresh {
  std::map<std::string, RowOrigin> by_id;
  int64_t refreshed = 0;
  std::string note;
};
AutoRefresh refresh_stale_rows(CliContext& ctx, const std::vector<RefreshTarget>& rows,
                               int64_t budget_ms, bool show_progress);

// `--source live`: Jira validates the JQL (/rest/api/3/jql/parse), then
// /rest/api/3/search/jql is paged for ids and keys under the shared rate
// limit (the fetchers' bucket), and what it found is written through the
// pipeline as a refresh run per project. `found` is in Jira's order.
struct LiveSearch {
  std::vector<RefreshTarget> found;
  std::vector<std::string> unconfigured;  // keys of projects this cache does not keep
  RefreshOutcome refresh;
  int64_t pages = 0;
};
// Throws std::invalid_argument with Jira's words when Jira refuses the JQL.
LiveSearch live_search(CliContext& ctx, const std::string& jql, int limit, int64_t budget_ms,
                       bool show_progress);

// `search` options of the read commands: --template NAME, --param k=v,
// --source cache|live|auto, --budget.
void add_search_source_options(CLI::App* cmd, SearchArgs& args, CLI::Option* jql);

// Turns --template into `args.jql`, and answers --source live/auto itself.
// Returns the exit code when it answered, -1 when the cache search should run.
int resolve_search_source(CliContext& ctx, SearchArgs& args);

}  // namespace jirasync
