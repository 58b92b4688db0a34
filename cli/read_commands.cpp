// Registers the read commands (templates, changes, review, refresh) in the
// command table; each command's work lives in its own *_command.cpp.
#include "cli/changes_command.hpp"
#include "cli/command_table.hpp"
#include "cli/duration_option.hpp"
#include "cli/fresh_commands.hpp"
#include "cli/templates_command.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/time/duration_text.hpp"

namespace jirasync {

CLI::Option* add_list_format_option(CLI::App* cmd, OutputFormat& format) {
  return cmd
      ->add_option_function<std::string>(
          "--format",
          [&format](const std::string& name) {
            format = name == "json"    ? OutputFormat::kJson
                     : name == "jsonl" ? OutputFormat::kJsonl
                     : name == "csv"   ? OutputFormat::kCsv
                                       : OutputFormat::kTable;
          },
          "table (default), json, jsonl (one object a line) or csv")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}))
      ->type_name("FORMAT");
}

CLI::Option* add_max_age_option(CLI::App* cmd, std::optional<int64_t>& max_age_ms) {
  return cmd
      ->add_option_function<std::string>(
          "--max-age",
          [&max_age_ms](const std::string& text) { max_age_ms = parse_duration_ms(text); },
          "older than this (30s, 15m, 1h) is fetched from Jira first; without it, older than the "
          "project's cache_ttl is only marked stale")
      ->check(duration_validator())
      ->type_name("DURATION");
}

namespace {

void add_refresh(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    RefreshRequest request;
    std::string budget = "2m";
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "refresh",
      "Fetch tickets again from Jira now (by key, or every cached ticket a JQL selects)");
  auto* keys = cmd->add_option("keys", a->request.keys, "issue keys");
  auto* jql = cmd->add_option("--jql", a->request.jql, "every cached ticket this JQL selects");
  keys->excludes(jql);
  cmd->add_option("--wait-at-most", a->budget, "give up waiting after this long (default 2m)")
      ->check(duration_validator());
  add_list_format_option(cmd, a->request.format);
  commands.push_back({cmd, [&ctx, a, keys, jql] {
                        if (!*keys && !*jql)
                          throw CLI::ValidationError("refresh", "give issue keys or --jql JQL");
                        RefreshRequest r = a->request;
                        r.budget_ms = parse_duration_ms(a->budget);
                        return refresh_command(ctx, r);
                      }});
}

void add_templates(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    bool check = false;
    OutputFormat format = OutputFormat::kTable;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("templates", "The JQL templates: built-in and from the config");
  cmd->add_flag("--check", a->check,
                "parse every template (exit 1 and name each bad one when any fails)");
  add_list_format_option(cmd, a->format);
  commands.push_back({cmd, [&ctx, a] { return templates_command(ctx, a->check, a->format); }});
}

void add_changes(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  struct Args {
    ChangesRequest request;
    std::vector<std::string> kinds;
    std::string viewer;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "changes",
      "What changed in the cache, one badge a ticket: new, updated, significant, "
      "deleted, moved, conflict, out_of_scope");
  auto* since = cmd->add_option("--since", a->request.since,
                                "changes after this: 30m, 2d (ago), 2024-03-05 or "
                                "2024-03-05T10:00:00Z (default: the last day)");
  since->check(CLI::Validator(
      [](std::string& text) {
        try {
          (void)parse_since(text, 0);
          return std::string();
        } catch (const std::exception& e) {
          return std::string(e.what());
        }
      },
      "TIME", "TIME"));
  auto* look = cmd->add_option("--since-last-look", a->viewer,
                               "changes since VIEWER (default $USER) last ran --mark-seen")
                   ->expected(0, 1)
                   ->type_name("[VIEWER]");
  since->excludes(look);
  cmd->add_option("-p,--project", a->request.project, "only this project");
  cmd->add_option("--kind", a->kinds, "only these badges (repeat or comma-separate)")
      ->delimiter(',')
      ->check(CLI::IsMember(
          {"new", "updated", "significant", "deleted", "moved", "conflict", "out_of_scope"}));
  cmd->add_flag("--mark-seen", a->request.mark_seen,
                "remember now as the viewer's last look (with --since-last-look VIEWER, that one)");
  cmd->add_option("-n,--limit", a->request.limit, "at most this many tickets")
      ->check(CLI::Range(1, 1000000));
  add_list_format_option(cmd, a->request.format);
  commands.push_back({cmd, [&ctx, a, look] {
                        ChangesRequest r = a->request;
                        r.since_last_look = static_cast<bool>(*look);
                        r.viewer = a->viewer;  // "" = $USER
                        for (const auto& k : a->kinds) r.kinds.insert(parse_change_badge(k));
                        return changes_command(ctx, r);
                      }});
}

void add_review(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  auto target = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "review", "Acknowledge the review of TYPE:ID: `links TYPE:ID` badges from now on");
  cmd->add_option("target", *target, "TYPE:ID, e.g. testcase:TC-17")
      ->required()
      ->check(CLI::Validator(
          [](std::string& text) {
            try {
              (void)parse_link_target(text);
              return std::string();
            } catch (const std::exception& e) {
              return std::string(e.what());
            }
          },
          "TYPE:ID", "TYPE:ID"));
  commands.push_back({cmd, [&ctx, target] { return review_command(ctx, *target); }});
}

}  // namespace

void add_read_commands(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  add_templates(app, ctx, commands);
  add_changes(app, ctx, commands);
  add_review(app, ctx, commands);
  add_refresh(app, ctx, commands);
}

}  // namespace jirasync
