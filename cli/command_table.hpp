#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "cli/cli_context.hpp"
#include "cli/output_format.hpp"

namespace jirasync {

// One subcommand: its parser, and what it runs once its arguments are read
// (into variables the closure holds).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using CommandTable = std::vector<Command>;

// --format table|json|jsonl|csv for the read commands that print lists.
CLI::Option* add_list_format_option(CLI::App* cmd, OutputFormat& format);

// --max-age DURATION (1h, 15m, ...): how old a ticket may be before it is
// fetched again.
CLI::Option* add_max_age_option(CLI::App* cmd, std::optional<int64_t>& max_age_ms);

// The read commands of cli/*_command.cpp files that register themselves:
// templates, changes, review, refresh.
void add_read_commands(CLI::App& app, CliContext& ctx, CommandTable& commands);

}  // namespace jirasync
