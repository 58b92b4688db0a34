#include "common/runtime/service_options.hpp"

#include <cstdlib>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "common/runtime/version.hpp"

namespace jirasync {
namespace {

// Conventional exit code for a command-line usage error.
constexpr int kUsageError = 2;

}  // namespace

CommandLine read_command_line(int argc, const char* const* argv, const std::string& name,
                              const std::string& description,
                              const std::map<std::string, std::string>& env) {
  CLI::App app{description, name};
  app.set_version_flag("--version", name + " " + kJirasyncVersion);
  std::string config_path;
  std::string listen;
  std::string log_level;
  app.add_option("--config", config_path,
                 "YAML configuration file (default: $JIRASYNC_CONFIG; none = defaults and "
                 "environment only)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--listen", listen,
                 "HOST:PORT for /healthz, /readyz and /metrics (overrides config)")
      ->type_name("ADDR");
  app.add_option("--log-level", log_level, "overrides config log_level")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));

  CommandLine result;
  std::ostringstream out;
  std::ostringstream err;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    result.exit_code = app.exit(e, out, err);
    if (result.exit_code != 0) result.exit_code = kUsageError;
    result.output = result.exit_code == 0 ? out.str() : err.str();
    return result;
  }
  ServiceOptions options;
  if (app.count("--config") > 0) {
    options.config_path = config_path;
  } else if (auto it = env.find("JIRASYNC_CONFIG"); it != env.end()) {
    options.config_path = it->second;
  }
  if (app.count("--listen") > 0) options.listen = listen;
  if (app.count("--log-level") > 0) options.log_level = log_level;
  result.options = options;
  return result;
}

ServiceOptions parse_service_options(int argc, const char* const* argv, const std::string& name,
                                     const std::string& description) {
  CommandLine line = read_command_line(argc, argv, name, description, process_environment());
  if (line.options) return *line.options;
  (line.exit_code == 0 ? std::cout : std::cerr) << line.output << std::flush;
  std::exit(line.exit_code);
}

Config load_service_config(const ServiceOptions& options) {
  return load_service_config(options, process_environment());
}

Config load_service_config(const ServiceOptions& options, std::map<std::string, std::string> env) {
  if (options.listen) env["JIRASYNC_LISTEN"] = *options.listen;
  if (options.log_level) env["JIRASYNC_LOG_LEVEL"] = *options.log_level;
  const std::string yaml = options.config_path.empty() ? "" : read_config_file(options.config_path);
  return load_config_from(yaml, env);
}

}  // namespace jirasync
