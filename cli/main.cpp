// jirasync: the command line of the Jira cache (and its single-process mode).
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/cli_context.hpp"
#include "common/log/logging.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/runtime/version.hpp"

int main(int argc, char** argv) {
  using namespace jirasync;
  CLI::App app{
      "jirasync — a local, queryable cache of Jira Cloud issues.\n"
      "Reads Jira, never writes to it. Notes, tags and links survive every sync; local edits "
      "follow the conflict strategy."};
  app.require_subcommand(1);
  CliContext ctx;
  std::string log_level = "warn";
  app.add_option("-c,--config", ctx.config_path, "YAML configuration file")
      ->envname("JIRASYNC_CONFIG");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error");
  app.set_version_flag("--version", std::string(kJirasyncVersion));

  SyncRequest sync;
  bool want_incremental = false, want_full = false, want_refetch = false;
  std::string keys;
  auto* sync_cmd = app.add_subcommand("sync", "Sync one project (or all) from Jira now");
  sync_cmd->add_option("-p,--project", sync.project, "project key (default: every configured)");
  auto* inc = sync_cmd->add_flag("--incremental", want_incremental,
                                 "issues updated since the last sync (default)");
  auto* full =
      sync_cmd->add_flag("--full", want_full, "incremental plus a sweep that finds deletions");
  auto* refetch = sync_cmd->add_flag("--refetch", want_refetch, "every issue with every field");
  auto* keys_opt = sync_cmd->add_option("--keys", keys, "refresh these keys: K1,K2");
  inc->excludes(full)->excludes(refetch)->excludes(keys_opt);
  full->excludes(refetch)->excludes(keys_opt);
  refetch->excludes(keys_opt);
  sync_cmd->add_flag("-w,--wait", sync.wait, "wait for the run and show its progress");

  bool once = false;
  auto* run_cmd = app.add_subcommand(
      "run", "Run all four roles in this process (in-process bus, the configured database)");
  run_cmd->add_flag("--once", once, "one full sync of every project, then exit");

  std::string project;
  int limit = 20;
  bool json = false;
  auto* runs_cmd = app.add_subcommand("runs", "Recent sync runs");
  runs_cmd->add_option("-p,--project", project, "only this project");
  runs_cmd->add_option("-n,--limit", limit, "how many")->check(CLI::Range(1, 10000));
  runs_cmd->add_flag("--json", json, "as JSON");

  auto* status_cmd = app.add_subcommand("status", "Per-project cache status");

  std::string key;
  auto* show_cmd = app.add_subcommand("show", "One ticket from the cache, by current or old key");
  show_cmd->add_option("key", key, "issue key")->required();

  auto* check_cmd = app.add_subcommand(
      "check", "Check config, database, Kafka and Jira credentials (one line each)");

  std::string field, value;
  auto* edit_cmd = app.add_subcommand("edit", "Override a field locally (Jira is not changed)");
  edit_cmd->add_option("key", key, "issue key")->required();
  edit_cmd->add_option("field", field, "summary|status|priority|assignee|labels|description")
      ->required()
      ->check(
          CLI::IsMember({"summary", "status", "priority", "assignee", "labels", "description"}));
  edit_cmd->add_option("value", value, "the local value")->required();

  auto* note_cmd = app.add_subcommand("note", "Attach a local note to a ticket");
  note_cmd->add_option("key", key, "issue key")->required();
  note_cmd->add_option("text", value, "the note")->required();

  std::vector<std::string> tags;
  bool remove = false;
  auto* tag_cmd = app.add_subcommand("tag", "Add local tags to a ticket, or --remove them");
  tag_cmd->add_option("key", key, "issue key")->required();
  tag_cmd->add_option("tags", tags, "tags: no whitespace or commas, at most 64 bytes")->required();
  tag_cmd->add_flag("--remove", remove, "remove these tags instead");

  std::string target;
  auto* link_cmd = app.add_subcommand(
      "link", "Link a ticket to something outside Jira (e.g. testcase:TC-17), or --remove it");
  link_cmd->add_option("key", key, "issue key")->required();
  link_cmd
      ->add_option("target", target,
                   "TYPE:ID; TYPE: lowercase letters, digits, '-' (at most 32), ID: at most 200 "
                   "bytes")
      ->required();
  link_cmd->add_flag("--remove", remove, "remove this link instead");

  auto* links_cmd = app.add_subcommand("links", "The tickets linked to TYPE:ID");
  links_cmd->add_option("target", target, "TYPE:ID, e.g. testcase:TC-17")->required();

  auto* conflicts_cmd = app.add_subcommand("conflicts", "Open conflicts (or all of one ticket)");
  conflicts_cmd->add_option("key", key, "issue key");

  int64_t conflict_id = 0;
  std::string take;
  auto* resolve_cmd = app.add_subcommand("resolve", "Resolve a MANUAL conflict");
  resolve_cmd->add_option("id", conflict_id, "conflict number")->required();
  resolve_cmd->add_option("--take", take, "jira|local")
      ->required()
      ->check(CLI::IsMember({"jira", "local"}));

  CLI11_PARSE(app, argc, argv);

  try {
    init_logging(log_level, "jirasync");
    if (*sync_cmd) {
      if (want_full) sync.kind = JobKind::kFull;
      if (want_refetch) sync.kind = JobKind::kRefetch;
      if (*keys_opt) {
        sync.kind = JobKind::kRefresh;
        for (size_t pos = 0; pos <= keys.size();) {
          const size_t end = std::min(keys.find(',', pos), keys.size());
          if (end > pos) sync.keys.push_back(keys.substr(pos, end - pos));
          pos = end + 1;
        }
        if (sync.keys.empty()) throw CLI::ValidationError("--keys", "no issue key given");
      }
      return sync_command(ctx, sync);
    }
    if (*run_cmd) return run_command(ctx, once);
    if (*runs_cmd) return runs_command(ctx, project, limit, json);
    if (*status_cmd) return status_command(ctx);
    if (*show_cmd) return show_command(ctx, key);
    if (*check_cmd) return check_command(ctx);
    if (*edit_cmd) return edit_command(ctx, key, field, value);
    if (*note_cmd) return note_command(ctx, key, value);
    if (*tag_cmd) return tag_command(ctx, key, tags, remove);
    if (*link_cmd) return link_command(ctx, key, target, remove);
    if (*links_cmd) return links_command(ctx, target);
    if (*conflicts_cmd) return conflicts_command(ctx, key);
    if (*resolve_cmd) return resolve_command(ctx, conflict_id, take);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jirasync: %s\n", redact(e.what()).c_str());
    return 1;
  }
  return 0;
}
