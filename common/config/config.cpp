#include "common/config/config.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/config/config_sources.hpp"
#include "common/log/secret_redactor.hpp"

extern char** environ;

namespace jirasync {

Config load_config_from(const std::string& yaml_text,
                        const std::map<std::string, std::string>& env) {
  Config config;
  apply_yaml(yaml_text, config);
  apply_environment(env, config);
  apply_secrets(env, config);
  // Registered before validation so that nothing logged about a bad config leaks them.
  register_secrets(config);
  validate_config(config);
  return config;
}

Config load_config(const std::string& yaml_path) {
  return load_config_from(yaml_path.empty() ? std::string() : read_config_file(yaml_path),
                          process_environment());
}

void register_secrets(const Config& config) {
  SecretRedactor& redactor = SecretRedactor::process();
  redactor.add_basic_auth(config.jira.email, config.jira.api_token);
  redactor.add_secret(config.database_password);
  redactor.add_secret(config.scheduler.webhook_secret);
  for (const NotificationSinkSettings& sink : config.notifications.sinks) {
    redactor.add_secret(sink.secret);
    if (sink.type == "slack") redactor.add_secret(sink.url);  // a Slack URL is the credential
  }
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text(*entry);
    const size_t eq = text.find('=');
    if (eq == std::string::npos) continue;
    std::string name = text.substr(0, eq);
    if (name.starts_with("JIRASYNC_") || name.starts_with("JIRA_API_TOKEN")) {
      env.emplace(std::move(name), text.substr(eq + 1));
    }
  }
  return env;
}

const char* to_string(BusKind kind) {
  return kind == BusKind::kInProcess ? "inprocess" : "kafka";
}

std::string read_config_file(const std::string& path) {
  // A directory opens and reads as empty on Linux: it would silently mean "defaults".
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError("file", "'" + path + "' is a directory, not a YAML file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("file", "cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace jirasync
