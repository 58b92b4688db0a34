#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/output_format.hpp"
#include "common/config/config.hpp"
#include "common/envelope/sync_job.hpp"

namespace CLI {
class App;
}

namespace jirasync {

class Database;
class RunStore;
class TicketCache;
class TicketQueries;
class LocalTicketData;

// What every subcommand starts from: the --config file, loaded on first use.
struct CliContext {
  std::string config_path;
  const Config& config();
  std::shared_ptr<Database> database();  // migrated on first open
  // The cache's seams over database(), built on first use: the commands
  // depend on these interfaces, only cli_context.cpp on their SQL side.
  TicketQueries& ticket_queries();
  LocalTicketData& local_data();
  TicketCache& ticket_cache();
  RunStore& runs();

 private:
  std::unique_ptr<Config> config_;
  std::shared_ptr<Database> db_;
  std::shared_ptr<TicketQueries> queries_;
  std::shared_ptr<LocalTicketData> local_data_;
  std::shared_ptr<TicketCache> cache_;
  std::shared_ptr<RunStore> runs_;
};

struct SyncRequest {
  std::string project;  // "" = every configured project
  JobKind kind = JobKind::kIncremental;
  std::vector<std::string> keys;
  bool wait = false;
};

int sync_command(CliContext& ctx, const SyncRequest& request);
int run_command(CliContext& ctx, bool once);
// Read commands print `format`; table text passes through printable().
int runs_command(CliContext& ctx, const std::string& project, int limit, OutputFormat format);
int status_command(CliContext& ctx, OutputFormat format);
// Where `show` got the ticket from and how old it is (the cached-vs-live
// indicator); synced_ms 0 = not known.
struct ShowFreshness {
  int64_t synced_ms = 0;
  int64_t max_age_ms = 0;  // older than this is stale
  bool stale = false;
  std::string source = "cache";  // "cache" or "jira" (refreshed just now)
  std::string note;              // why a wanted refresh did not happen
};
int show_command(CliContext& ctx, const std::string& key, OutputFormat format,
                 const ShowFreshness& freshness = {});
// Reports config (with every schedule read by the scheduler's cron parser),
// database, Kafka and Jira; creates and migrates nothing.
int check_command(CliContext& ctx);
int edit_command(CliContext& ctx, const std::string& key, const std::string& field,
                 const std::string& value);
int note_command(CliContext& ctx, const std::string& key, const std::string& text);
int tag_command(CliContext& ctx, const std::string& key, const std::vector<std::string>& tags,
                bool remove);
int link_command(CliContext& ctx, const std::string& key, const std::string& target, bool remove);
int links_command(CliContext& ctx, const std::string& target, OutputFormat format);
int conflicts_command(CliContext& ctx, const std::string& key, OutputFormat format);
int resolve_command(CliContext& ctx, int64_t conflict_id, const std::string& take);
// `replay`: registers its parser on `app`; the function runs it once parsed.
std::pair<CLI::App*, std::function<int()>> add_replay_command(CLI::App& app, CliContext& ctx);

}  // namespace jirasync
