#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {

// The command line every service process shares.
struct ServiceOptions {
  std::string config_path;            // --config, else $JIRASYNC_CONFIG, else "" (defaults + env)
  std::optional<std::string> listen;  // --listen HOST:PORT, overrides config `listen`
  std::optional<std::string> log_level;  // --log-level, overrides config `log_level`
  bool operator==(const ServiceOptions&) const = default;
};

// The outcome of reading a command line: either options to run with, or an
// exit code with text to print (help and version on stdout with code 0,
// usage errors on stderr with code 2).
struct CommandLine {
  std::optional<ServiceOptions> options;
  int exit_code = 0;
  std::string output;
};

// Pure: no printing, no exiting, environment passed in (tests).
CommandLine read_command_line(int argc, const char* const* argv, const std::string& name,
                              const std::string& description,
                              const std::map<std::string, std::string>& env);

// For main(): returns the options, or prints help/version/error and exits.
// `description` is the first paragraph of --help.
ServiceOptions parse_service_options(int argc, const char* const* argv, const std::string& name,
                                     const std::string& description);

// load_config() of the chosen file with --listen / --log-level applied above
// the environment and validated like it. Throws ConfigError.
Config load_service_config(const ServiceOptions& options);
Config load_service_config(const ServiceOptions& options,
                           std::map<std::string, std::string> env);  // tests

}  // namespace jirasync
