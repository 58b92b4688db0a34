// Registers the read commands (templates, changes, review, refresh) in the
// command table; each command's work lives in its own *_command.cpp.
#include "cli/command_table.hpp"
#include "cli/templates_command.hpp"

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

namespace {

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

}  // namespace

void add_read_commands(CLI::App& app, CliContext& ctx, CommandTable& commands) {
  add_templates(app, ctx, commands);
}

}  // namespace jirasync
