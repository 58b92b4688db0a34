#include "cli/init_command.hpp"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "cli/refresh_runner.hpp"
#include "common/config/config.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;

// The value of a flag, asked for on the terminal when the flag was not given.
std::string ask_if_missing(std::string value, const char* flag, const char* question) {
  if (!value.empty()) return value;
  if (isatty(STDIN_FILENO) == 0) {
    throw CLI::ValidationError(flag, "required (no terminal to ask on)");
  }
  std::fprintf(stderr, "%s: ", question);
  std::getline(std::cin, value);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
  if (value.empty()) throw CLI::ValidationError(flag, "required");
  return value;
}

// A YAML double-quoted scalar. Control characters are refused before this.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void refuse_control_characters(const std::string& text, const char* flag) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      throw CLI::ValidationError(flag, "contains control characters");
    }
  }
}

// The flag a config key came from, for the loader's errors.
const char* flag_of(const std::string& key) {
  if (key == "jira.base_url") return "--site";
  if (key == "jira.email") return "--email";
  if (key.starts_with("projects")) return "--project";
  return "--output";
}

// Who the token belongs to, so that currentUser() and bare dates in cache
// searches mean what they mean in Jira; nothing when no token is set or Jira
// cannot be asked (said on stderr: the file works without it).
std::optional<JiraAccount> ask_jira_who(const std::string& text) {
  std::map<std::string, std::string> env;
  for (const char* name : {"JIRA_API_TOKEN", "JIRA_API_TOKEN_FILE"}) {
    if (const char* value = std::getenv(name)) env[name] = value;
  }
  if (env.empty()) return std::nullopt;
  try {
    return probe_jira(load_config_from(text, env));
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "jirasync init: could not ask Jira who you are (%s); currentUser() in cache "
                 "searches matches nobody until jira.account_id is set\n",
                 redact(e.what()).c_str());
    return std::nullopt;
  }
}

std::string config_text(const InitRequest& r, const std::string& database,
                        const std::optional<JiraAccount>& account = std::nullopt) {
  std::string y =
      "# Written by `jirasync init`: the embedded single-user mode (all four roles in one\n"
      "# process, SQLite). Every key is described in config/jirasync.example.yaml.\n"
      "# The API token is never in this file: set JIRA_API_TOKEN or JIRA_API_TOKEN_FILE.\n"
      "jira:\n"
      "  base_url: " +
      quoted(r.site) + "\n  email: " + quoted(r.email) + "\n";
  if (account && !account->account_id.empty()) {
    y += "  account_id: " + quoted(account->account_id) + "\n";
    if (!account->time_zone.empty()) {
      y += "  account_time_zone: " + quoted(account->time_zone) + "\n";
    }
  }
  y += "projects:\n";
  for (const auto& key : r.projects) y += "  - key: " + quoted(key) + "\n";
  y += "database_url: " + quoted("sqlite:" + database) + "\nbus: inprocess\n";
  return y;
}

}  // namespace

int init_command(InitRequest r) {
  r.site = ask_if_missing(r.site, "--site", "Jira Cloud site (https://your-site.atlassian.net)");
  r.email = ask_if_missing(r.email, "--email", "Your Atlassian account e-mail");
  if (r.projects.empty()) {
    const std::string keys =
        ask_if_missing("", "--project", "Project keys to sync, comma-separated (e.g. WRKA,OPS)");
    for (size_t pos = 0; pos <= keys.size();) {
      const size_t end = std::min(keys.find(',', pos), keys.size());
      std::string key = keys.substr(pos, end - pos);
      key.erase(0, key.find_first_not_of(' '));
      key.erase(key.find_last_not_of(' ') + 1);
      if (!key.empty()) r.projects.push_back(key);
      pos = end + 1;
    }
  }
  if (r.projects.empty()) throw CLI::ValidationError("--project", "at least one project key");
  refuse_control_characters(r.site, "--site");
  refuse_control_characters(r.email, "--email");
  for (const auto& key : r.projects) refuse_control_characters(key, "--project");
  while (r.site.size() > 1 && r.site.back() == '/') r.site.pop_back();

  const fs::path output = fs::absolute(r.output);
  const fs::path database = output.parent_path() / "jirasync.db";
  std::string text = config_text(r, database.string());
  try {
    // The loader's own checks (https, e-mail, project keys), with no
    // environment: what the file says alone must be valid.
    load_config_from(text, {});
  } catch (const ConfigError& e) {
    throw CLI::ValidationError(flag_of(e.key()), e.what());
  }
  if (const auto account = ask_jira_who(text)) {
    text = config_text(r, database.string(), account);
    load_config_from(text, {});
  }

  std::error_code ec;
  if (fs::exists(output, ec) && !r.force) {
    std::fprintf(stderr, "jirasync init: %s exists; --force to overwrite it\n", output.c_str());
    return 1;
  }
  fs::create_directories(output.parent_path(), ec);
  const fs::path partial = output.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::fprintf(stderr, "jirasync init: cannot write %s\n", partial.c_str());
      return 1;
    }
  }
  fs::rename(partial, output, ec);
  if (ec) {
    std::fprintf(stderr, "jirasync init: cannot write %s: %s\n", output.c_str(),
                 ec.message().c_str());
    fs::remove(partial, ec);
    return 1;
  }

  std::printf("wrote %s: projects", output.c_str());
  for (const auto& key : r.projects) std::printf(" %s", key.c_str());
  std::printf(", cache %s\n", database.c_str());
  if (std::getenv("JIRA_API_TOKEN") == nullptr && std::getenv("JIRA_API_TOKEN_FILE") == nullptr) {
    std::printf(
        "The API token is not stored in it. Create one at "
        "https://id.atlassian.com/manage-profile/security/api-tokens, then\n"
        "  export JIRA_API_TOKEN=...        (or JIRA_API_TOKEN_FILE=/path/to/a/file)\n");
  }
  std::printf("Next: jirasync -c %s run --once    (a full sync of every project)\n",
              output.c_str());
  return 0;
}

}  // namespace jirasync
