#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/config/config_sources.hpp"
#include "common/url/database_url.hpp"

namespace jirasync {
namespace {

std::string read_secret_file(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(key, "cannot read '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = text.str();
  // Files written by editors and `echo` end with a newline that is not part of the secret.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  return secret;
}

// NAME or NAME_FILE, never both; nullopt when neither is set.
std::optional<std::string> read_secret(const Environment& env, const std::string& name) {
  const std::string file_name = name + "_FILE";
  const auto direct = env.find(name);
  const auto file = env.find(file_name);
  if (direct != env.end() && file != env.end()) {
    throw ConfigError(name, "set either " + name + " or " + file_name + ", not both");
  }
  std::string secret;
  std::string key;
  if (direct != env.end()) {
    secret = direct->second;
    key = name;
  } else if (file != env.end()) {
    secret = read_secret_file(file->second, file_name);
    key = file_name;
  } else {
    return std::nullopt;
  }
  if (secret.empty()) throw ConfigError(key, "is empty");
  for (char c : secret) {
    // A control character would let the secret split an HTTP header or a conninfo.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      throw ConfigError(key, "contains control characters");
    }
  }
  return secret;
}

}  // namespace

void apply_secrets(const Environment& env, Config& config) {
  if (auto token = read_secret(env, "JIRA_API_TOKEN")) {
    if (token->find(' ') != std::string::npos) {
      throw ConfigError(env.count("JIRA_API_TOKEN") ? "JIRA_API_TOKEN" : "JIRA_API_TOKEN_FILE",
                        "contains spaces; an API token never does");
    }
    config.jira.api_token = std::move(*token);
  }
  if (auto password = read_secret(env, "JIRASYNC_DATABASE_PASSWORD")) {
    const std::string& url = config.database_url;
    if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
      throw ConfigError("JIRASYNC_DATABASE_PASSWORD",
                        "only a postgresql:// database_url takes a password");
    }
    const auto userinfo = url_userinfo(url);
    if (!userinfo || userinfo->user.empty()) {
      throw ConfigError("database_url",
                        "needs a user name (postgresql://USER@host/db) to go with "
                        "JIRASYNC_DATABASE_PASSWORD");
    }
    if (userinfo->password) {
      throw ConfigError("database_url",
                        "already contains a password; give it only through "
                        "JIRASYNC_DATABASE_PASSWORD");
    }
    config.database_url = with_database_password(url, *password);
    config.database_password = std::move(*password);
  } else if (auto in_url = database_url_password(config.database_url)) {
    // Only JIRASYNC_DATABASE_URL can get here (the YAML rejects it): keep it
    // known so the redactor masks it.
    config.database_password = std::move(*in_url);
  }
  if (auto webhook_secret = read_secret(env, "JIRASYNC_WEBHOOK_SECRET")) {
    config.scheduler.webhook_secret = std::move(*webhook_secret);
  }
  for (NotificationSinkSettings& sink : config.notifications.sinks) {
    const std::string prefix = notification_env_prefix(sink.name);
    if (auto secret = read_secret(env, prefix + "SECRET")) sink.secret = std::move(*secret);
    if (auto url = read_secret(env, prefix + "URL")) sink.url = std::move(*url);
  }
}

}  // namespace jirasync
