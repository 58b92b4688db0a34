// jirasync: the command line of the Jira cache (and its single-process mode).
//
// Exit codes: 0 success, 1 the command failed (config, database, Jira, a
// failed run, an unknown ticket), 2 the command line itself is wrong (as
// getopt-style tools do): nothing was opened or written.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <memory>

#include "cli/apikey_command.hpp"
#include "cli/cli_context.hpp"
#include "cli/command_table.hpp"
#include "cli/fresh_commands.hpp"
#include "cli/init_command.hpp"
#include "cli/lag_command.hpp"
#include "cli/search_command.hpp"
#include "cli/terminal_text.hpp"
#include "common/log/logging.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/runtime/version.hpp"
#include "common/store/local_ticket_rules.hpp"

namespace jirasync {
namespace {

constexpr int kUsageError = 2;

// A CLI11 check from a function that throws on bad input.
CLI::Validator throwing_check(void (*check)(const std::string&), const char* name) {
  return CLI::Validator(
      [check](std::string& text) {
        try {
          check(text);
          return std::string();
        } catch (const std::exception& e) {
          return std::string(e.what());
        }
      },
      "", name);
}

// Local text must not carry terminal escapes (see terminal_text.hpp); only
// notes and descriptions may span lines.
void check_local_text(const std::string& text, bool multiline, const std::string& what) {
  if (const std::string why = unsafe_text_reason(text, multiline); !why.empty()) {
    throw CLI::ValidationError(what, why);
  }
}

// --format for a read command: csv only where it prints a list.
CLI::Option* add_format_option(CLI::App* cmd, OutputFormat& format, bool list) {
  std::vector<std::string> names = {"table", "json"};
  if (list) names.push_back("csv");
  return cmd
      ->add_option_function<std::string>(
          "--format",
          [&format](const std::string& name) {
            format = name == "json"  ? OutputFormat::kJson
                     : name == "csv" ? OutputFormat::kCsv
                                     : OutputFormat::kTable;
          },
          list ? "table (default), json or csv" : "table (default) or json")
      ->check(CLI::IsMember(names))
      ->type_name("FORMAT");
}

void add_sync(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    SyncRequest sync;
    bool incremental = false, full = false, refetch = false;
    std::string keys;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("sync", "Sync one project (or all) from Jira now");
  cmd->add_option("-p,--project", a->sync.project, "project key (default: every configured)");
  auto* inc = cmd->add_flag("--incremental", a->incremental,
                            "issues updated since the last sync (default)");
  auto* full = cmd->add_flag("--full", a->full, "incremental plus a sweep that finds deletions");
  auto* refetch = cmd->add_flag("--refetch", a->refetch, "every issue with every field");
  auto* keys = cmd->add_option("--keys", a->keys, "refresh these keys: K1,K2");
  inc->excludes(full)->excludes(refetch)->excludes(keys);
  full->excludes(refetch)->excludes(keys);
  refetch->excludes(keys);
  cmd->add_flag("-w,--wait", a->sync.wait, "wait for the run and show its progress");
  commands.push_back({cmd, [&ctx, a, keys] {
                        SyncRequest sync = a->sync;
                        if (a->full) sync.kind = JobKind::kFull;
                        if (a->refetch) sync.kind = JobKind::kRefetch;
                        if (*keys) {
                          sync.kind = JobKind::kRefresh;
                          for (size_t pos = 0; pos <= a->keys.size();) {
                            const size_t end = std::min(a->keys.find(',', pos), a->keys.size());
                            if (end > pos) sync.keys.push_back(a->keys.substr(pos, end - pos));
                            pos = end + 1;
                          }
                          if (sync.keys.empty())
                            throw CLI::ValidationError("--keys", "no issue key given");
                        }
                        return sync_command(ctx, sync);
                      }});
}

void add_run(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  auto once = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "run", "Run all four roles in this process (in-process bus, the configured database)");
  cmd->add_flag("--once", *once, "one full sync of every project, then exit");
  commands.push_back({cmd, [&ctx, once] { return run_command(ctx, *once); }});
}

void add_reports(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    std::string project;
    int limit = 20;
    OutputFormat format = OutputFormat::kTable;
  };
  auto runs = std::make_shared<Args>();
  auto* runs_cmd = app.add_subcommand("runs", "Recent sync runs");
  runs_cmd->add_option("-p,--project", runs->project, "only this project");
  runs_cmd->add_option("-n,--limit", runs->limit, "how many")->check(CLI::Range(1, 10000));
  auto* format = add_format_option(runs_cmd, runs->format, true);
  runs_cmd
      ->add_flag_callback(
          "--json", [runs] { runs->format = OutputFormat::kJson; }, "same as --format json")
      ->excludes(format);
  commands.push_back({runs_cmd, [&ctx, runs] {
                        return runs_command(ctx, runs->project, runs->limit, runs->format);
                      }});

  auto status = std::make_shared<OutputFormat>(OutputFormat::kTable);
  auto* status_cmd = app.add_subcommand("status", "Per-project cache status");
  add_format_option(status_cmd, *status, true);
  commands.push_back({status_cmd, [&ctx, status] { return status_command(ctx, *status); }});

  auto show_key = std::make_shared<std::string>();
  auto show_format = std::make_shared<OutputFormat>(OutputFormat::kTable);
  auto show_max_age = std::make_shared<std::optional<int64_t>>();
  auto* show_cmd = app.add_subcommand("show", "One ticket from the cache, by current or old key");
  show_cmd->add_option("key", *show_key, "issue key")->required();
  add_format_option(show_cmd, *show_format, false);
  add_max_age_option(show_cmd, *show_max_age);
  commands.push_back({show_cmd, [&ctx, show_key, show_format, show_max_age] {
                        return show_fresh_command(ctx, *show_key, *show_format, *show_max_age);
                      }});

  auto* check_cmd = app.add_subcommand(
      "check", "Check config, database, Kafka and Jira credentials (one line each)");
  commands.push_back({check_cmd, [&ctx] { return check_command(ctx); }});
}

void add_search(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  auto args = std::make_shared<SearchArgs>();
  auto* cmd = add_search_options(app, *args);
  commands.push_back({cmd, [&ctx, args] { return search_command(ctx, *args); }});
}

void add_local_edits(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    std::string key, field, value;
    std::vector<std::string> tags;
    bool remove = false;
  };
  auto edit = std::make_shared<Args>();
  auto* edit_cmd = app.add_subcommand("edit", "Override a field locally (Jira is not changed)");
  edit_cmd->add_option("key", edit->key, "issue key")->required();
  edit_cmd->add_option("field", edit->field, "summary|status|priority|assignee|labels|description")
      ->required()
      ->check(CLI::IsMember(local_edit_fields()));
  edit_cmd
      ->add_option("value", edit->value,
                   "the local value: one line (description: any), no control characters")
      ->required();
  commands.push_back({edit_cmd, [&ctx, edit] {
                        check_local_text(edit->value, edit->field == "description", "value");
                        return edit_command(ctx, edit->key, edit->field, edit->value);
                      }});

  auto note = std::make_shared<Args>();
  auto* note_cmd = app.add_subcommand("note", "Attach a local note to a ticket");
  note_cmd->add_option("key", note->key, "issue key")->required();
  note_cmd->add_option("text", note->value, "the note: lines and tabs, no control characters")
      ->required();
  commands.push_back({note_cmd, [&ctx, note] {
                        check_local_text(note->value, true, "text");
                        return note_command(ctx, note->key, note->value);
                      }});

  auto tag = std::make_shared<Args>();
  auto* tag_cmd = app.add_subcommand("tag", "Add local tags to a ticket, or --remove them");
  tag_cmd->add_option("key", tag->key, "issue key")->required();
  tag_cmd->add_option("tags", tag->tags, "tags: no whitespace or commas, at most 64 bytes")
      ->required()
      ->check(throwing_check(&validate_tag, "TAG"));
  tag_cmd->add_flag("--remove", tag->remove, "remove these tags instead");
  commands.push_back(
      {tag_cmd, [&ctx, tag] { return tag_command(ctx, tag->key, tag->tags, tag->remove); }});
}

void parse_target(const std::string& text) {
  (void)parse_link_target(text);
}

void add_links_and_conflicts(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    std::string key, target, take;
    bool remove = false;
    int64_t conflict_id = 0;
    OutputFormat format = OutputFormat::kTable;
  };
  const CLI::Validator target_check = throwing_check(&parse_target, "TYPE:ID");

  auto link = std::make_shared<Args>();
  auto* link_cmd = app.add_subcommand(
      "link", "Link a ticket to something outside Jira (e.g. testcase:TC-17), or --remove it");
  link_cmd->add_option("key", link->key, "issue key")->required();
  link_cmd
      ->add_option("target", link->target,
                   "TYPE:ID; TYPE: lowercase letters, digits, '-' (at most 32), ID: at most 200 "
                   "bytes")
      ->required()
      ->check(target_check);
  link_cmd->add_flag("--remove", link->remove, "remove this link instead");
  commands.push_back({link_cmd, [&ctx, link] {
                        return link_command(ctx, link->key, link->target, link->remove);
                      }});

  auto links = std::make_shared<Args>();
  auto* links_cmd = app.add_subcommand("links", "The tickets linked to TYPE:ID");
  links_cmd->add_option("target", links->target, "TYPE:ID, e.g. testcase:TC-17")
      ->required()
      ->check(target_check);
  add_format_option(links_cmd, links->format, true);
  commands.push_back(
      {links_cmd, [&ctx, links] { return links_command(ctx, links->target, links->format); }});

  auto conflicts = std::make_shared<Args>();
  auto* conflicts_cmd = app.add_subcommand("conflicts", "Open conflicts (or all of one ticket)");
  conflicts_cmd->add_option("key", conflicts->key, "issue key");
  add_format_option(conflicts_cmd, conflicts->format, true);
  commands.push_back({conflicts_cmd, [&ctx, conflicts] {
                        return conflicts_command(ctx, conflicts->key, conflicts->format);
                      }});

  auto resolve = std::make_shared<Args>();
  auto* resolve_cmd = app.add_subcommand("resolve", "Resolve a MANUAL conflict");
  resolve_cmd->add_option("id", resolve->conflict_id, "conflict number")->required();
  resolve_cmd->add_option("--take", resolve->take, "jira|local")
      ->required()
      ->check(CLI::IsMember({"jira", "local"}));
  commands.push_back({resolve_cmd, [&ctx, resolve] {
                        return resolve_command(ctx, resolve->conflict_id, resolve->take);
                      }});
}

void add_operations(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    std::string group;
    OutputFormat format = OutputFormat::kTable;
  };
  auto lag = std::make_shared<Args>();
  auto* lag_cmd = app.add_subcommand(
      "lag", "Consumer lag per group, topic and partition, read from the Kafka brokers");
  lag_cmd->add_option("-g,--group", lag->group, "only this role's group: fetcher|reconciler|writer")
      ->check(CLI::IsMember({"fetcher", "reconciler", "writer"}))
      ->type_name("ROLE");
  add_format_option(lag_cmd, lag->format, false);
  commands.push_back({lag_cmd, [&ctx, lag] { return lag_command(ctx, lag->group, lag->format); }});

  auto init = std::make_shared<InitRequest>();
  auto* init_cmd = app.add_subcommand(
      "init", "Write a config for the single-user mode (SQLite) from a site and an e-mail");
  init_cmd->add_option("--site", init->site, "Jira Cloud site: https://your-site.atlassian.net");
  init_cmd->add_option("--email", init->email, "your Atlassian account e-mail");
  init_cmd->add_option("-p,--project", init->projects, "project key to sync (repeat, or K1,K2)")
      ->delimiter(',');
  init_cmd->add_option("-o,--output", init->output, "the file to write (default jirasync.yaml)");
  init_cmd->add_flag("--force", init->force, "overwrite the file if it exists");
  commands.push_back({init_cmd, [init] { return init_command(*init); }});
}

}  // namespace
}  // namespace jirasync

int main(int argc, char** argv) {
  using namespace jirasync;
  CLI::App app{
      "jirasync — a local, queryable cache of Jira Cloud issues.\n"
      "Reads Jira, never writes to it. Notes, tags and links survive every sync; local edits "
      "follow the conflict strategy.\n"
      "Read commands (runs, status, show, links, conflicts) take --format json (csv for lists).\n"
      "Exit status: 0 done, 1 failed, 2 bad command line."};
  app.require_subcommand(1);
  CliContext ctx;
  std::string log_level = "warn";
  app.add_option("-c,--config", ctx.config_path, "YAML configuration file")
      ->envname("JIRASYNC_CONFIG");
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error");
  app.set_version_flag("--version", std::string(kJirasyncVersion));

  CommandTable commands;
  add_sync(app, ctx, commands);
  add_run(app, ctx, commands);
  add_reports(app, ctx, commands);
  add_search(app, ctx, commands);
  add_local_edits(app, ctx, commands);
  add_links_and_conflicts(app, ctx, commands);
  add_operations(app, ctx, commands);
  add_read_commands(app, ctx, commands);
  add_apikey_commands(app, ctx, commands);
  commands.push_back(std::make_from_tuple<Command>(add_replay_command(app, ctx)));

  try {
    app.parse(argc, argv);
    init_logging(log_level, "jirasync");
    for (const Command& command : commands) {
      if (*command.app) return command.run();
    }
  } catch (const CLI::ParseError& e) {
    // --help and --version arrive here too, with exit code 0.
    return app.exit(e) == 0 ? 0 : kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jirasync: %s\n", redact(e.what()).c_str());
    return 1;
  }
  return 0;
}
