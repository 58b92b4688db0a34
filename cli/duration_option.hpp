#pragma once

#include <CLI/CLI.hpp>

namespace jirasync {

// Checks an option's value as a duration (30s, 15m, 1h) with the words of
// parse_duration_ms, and names its type DURATION in --help.
CLI::Validator duration_validator();

}  // namespace jirasync
