#pragma once

#include <functional>
#include <utility>

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace jirasync {

// `jirasync sweep list` shows the deletions the sweep safety stop held
// (notifications.mass_delete_share); `jirasync sweep release PROJECT` applies
// the project's newest one.
std::pair<CLI::App*, std::function<int()>> add_sweep_command(CLI::App& app, CliContext& ctx);

}  // namespace jirasync
