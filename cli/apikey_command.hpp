#pragma once

#include "cli/command_table.hpp"

namespace jirasync {

// `jirasync apikey create NAME --scope read|admin` (prints the key once; only
// its hash is stored), `apikey list` (names, scopes, prefixes, times; never a
// key), `apikey revoke NAME`.
void add_apikey_commands(CLI::App& app, CliContext& ctx, CommandTable& commands);

}  // namespace jirasync
