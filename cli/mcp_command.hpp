#pragma once

#include "cli/command_table.hpp"

namespace jirasync {

// `jirasync mcp`: an MCP server (revision 2025-06-18) over stdio for AI
// assistants, answering from the cache (services/api/mcp). stdout carries
// only protocol messages; logs and progress go to stderr.
void add_mcp_command(CLI::App& app, CliContext& ctx, CommandTable& commands);

}  // namespace jirasync
