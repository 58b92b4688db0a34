#include "common/config/setting_table.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "common/time/duration_text.hpp"

namespace jirasync {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// Numbers are echoed in errors (they are never secrets), but cut short.
std::string quoted(const std::string& text) {
  constexpr size_t kMax = 40;
  return "'" + (text.size() > kMax ? text.substr(0, kMax) + "..." : text) + "'";
}

template <typename Int>
Int parse_integer(const std::string& text, const std::string& key) {
  Int value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    throw ConfigError(key, "integer out of range: " + quoted(text));
  }
  if (ec != std::errc() || ptr != end) {
    throw ConfigError(key, "expected an integer, got " + quoted(text));
  }
  return value;
}

double parse_number(const std::string& text, const std::string& key) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    throw ConfigError(key, "expected a number, got " + quoted(text));
  }
  return value;
}

bool parse_bool(const std::string& text, const std::string& key) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw ConfigError(key, "expected true or false, got " + quoted(text));
}

// The error names the setting ("bus") whichever source the text came from.
BusKind parse_bus_kind(const std::string& text, const std::string& key) {
  for (BusKind kind : {BusKind::kKafka, BusKind::kInProcess}) {
    if (text == to_string(kind)) return kind;
  }
  throw ConfigError(key, "must be one of kafka|inprocess, got '" + text + "'");
}

#define JIRASYNC_SETTING(section, name, member)                          \
  ScalarSetting {                                                        \
    section, name, +[](Config& c) -> SettingTarget { return &c.member; } \
  }

}  // namespace

std::string ScalarSetting::path() const {
  return section.empty() ? std::string(name) : std::string(section) + "." + std::string(name);
}

std::string ScalarSetting::env_name() const {
  return section.empty() ? "JIRASYNC_" + upper(name)
                         : "JIRASYNC_" + upper(section) + "_" + upper(name);
}

const std::vector<std::string_view>& setting_sections() {
  static const std::vector<std::string_view> sections = {
      "jira", "kafka", "writer", "reconciler", "runs", "limits", "http", "log", "api"};
  return sections;
}

const std::vector<ScalarSetting>& scalar_settings() {
  static const std::vector<ScalarSetting> settings = {
      JIRASYNC_SETTING("jira", "base_url", jira.base_url),
      JIRASYNC_SETTING("jira", "email", jira.email),
      JIRASYNC_SETTING("jira", "timeout_ms", jira.timeout_ms),
      JIRASYNC_SETTING("jira", "max_attempts", jira.max_attempts),
      JIRASYNC_SETTING("jira", "backoff_base_ms", jira.backoff_base_ms),
      JIRASYNC_SETTING("jira", "backoff_max_ms", jira.backoff_max_ms),
      JIRASYNC_SETTING("jira", "page_size", jira.page_size),
      JIRASYNC_SETTING("jira", "sweep_page_size", jira.sweep_page_size),
      JIRASYNC_SETTING("jira", "rate_per_s", jira.rate_per_s),
      JIRASYNC_SETTING("jira", "rate_burst", jira.rate_burst),
      JIRASYNC_SETTING("jira", "concurrency", jira.concurrency),
      JIRASYNC_SETTING("jira", "overlap_ms", jira.overlap_ms),
      JIRASYNC_SETTING("jira", "account_time_zone", jira.account_time_zone),
      JIRASYNC_SETTING("jira", "account_id", jira.account_id),
      JIRASYNC_SETTING("kafka", "brokers", kafka.brokers),
      JIRASYNC_SETTING("kafka", "topic_prefix", kafka.topic_prefix),
      JIRASYNC_SETTING("kafka", "api_version_request", kafka.api_version_request),
      JIRASYNC_SETTING("kafka", "broker_version_fallback", kafka.broker_version_fallback),
      JIRASYNC_SETTING("kafka", "session_timeout_ms", kafka.session_timeout_ms),
      JIRASYNC_SETTING("kafka", "idempotence", kafka.idempotence),
      JIRASYNC_SETTING("", "database_url", database_url),
      JIRASYNC_SETTING("", "bus", bus),
      JIRASYNC_SETTING("", "schedule_time_zone", schedule_time_zone),
      JIRASYNC_SETTING("", "log_level", log_level),
      JIRASYNC_SETTING("log", "format", log_format),
      JIRASYNC_SETTING("", "listen", listen),
      JIRASYNC_SETTING("http", "max_connections", http.max_connections),
      JIRASYNC_SETTING("http", "idle_timeout_ms", http.idle_timeout_ms),
      JIRASYNC_SETTING("api", "listen", api.listen),
      JIRASYNC_SETTING("api", "rate_per_s", api.rate_per_s),
      JIRASYNC_SETTING("api", "rate_burst", api.rate_burst),
      JIRASYNC_SETTING("api", "max_request_bytes", api.max_request_bytes),
      JIRASYNC_SETTING("api", "handler_threads", api.handler_threads),
      JIRASYNC_SETTING("writer", "batch_size", writer_batch_size),
      JIRASYNC_SETTING("writer", "linger_ms", writer_linger_ms),
      JIRASYNC_SETTING("reconciler", "batch_size", reconciler_batch_size),
      JIRASYNC_SETTING("reconciler", "linger_ms", reconciler_linger_ms),
      JIRASYNC_SETTING("runs", "max_attempts", max_run_attempts),
      JIRASYNC_SETTING("runs", "lease_ms", run_lease_ms),
      JIRASYNC_SETTING("limits", "max_issue_bytes", max_issue_bytes),
      JIRASYNC_SETTING("limits", "max_field_bytes", max_field_bytes),
  };
  return settings;
}

const ScalarSetting* find_setting(std::string_view section, std::string_view name) {
  for (const ScalarSetting& s : scalar_settings()) {
    if (s.section == section && s.name == name) return &s;
  }
  return nullptr;
}

const ScalarSetting* find_setting_by_env(std::string_view env_name) {
  for (const ScalarSetting& s : scalar_settings()) {
    if (s.env_name() == env_name) return &s;
  }
  return nullptr;
}

std::string known_keys(std::string_view section) {
  std::string out;
  auto add = [&out](std::string_view key) {
    if (!out.empty()) out += ", ";
    out += key;
  };
  if (section.empty()) {
    for (std::string_view s : setting_sections()) add(s);
    add("projects");
    add("templates");
    add("notifications");
  }
  for (const ScalarSetting& s : scalar_settings()) {
    if (s.section == section) add(s.name);
  }
  if (section == "kafka") add("extra");
  return out;
}

void assign_setting(const ScalarSetting& setting, Config& config, const std::string& text,
                    const std::string& key) {
  std::visit(
      [&](auto* field) {
        using T = std::remove_pointer_t<decltype(field)>;
        if constexpr (std::is_same_v<T, std::string>) {
          *field = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          *field = parse_bool(text, key);
        } else if constexpr (std::is_same_v<T, double>) {
          *field = parse_number(text, key);
        } else if constexpr (std::is_same_v<T, BusKind>) {
          *field = parse_bus_kind(text, setting.path());
        } else {
          *field = parse_integer<T>(text, key);
        }
      },
      setting.target(config));
}

std::string ProjectSetting::env_name(const std::string& project) const {
  return "JIRASYNC_PROJECT_" + project + "_" + upper(name);
}

const std::vector<ProjectSetting>& project_settings() {
  static const std::vector<ProjectSetting> settings = {
      {"strategy",
       +[](ProjectSettings& p, const std::string& text, const std::string&) { p.strategy = text; }},
      {"incremental_cron", +[](ProjectSettings& p, const std::string& text,
                               const std::string&) { p.incremental_cron = text; }},
      {"full_cron", +[](ProjectSettings& p, const std::string& text,
                        const std::string&) { p.full_cron = text; }},
      {"cache_ttl",
       +[](ProjectSettings& p, const std::string& text, const std::string& key) {
         try {
           p.cache_ttl_ms = parse_duration_ms(text);
         } catch (const std::invalid_argument& e) {
           throw ConfigError(key, e.what());
         }
       }},
      // Checked as JQL by validate_config (it needs the whole project).
      {"jql",
       +[](ProjectSettings& p, const std::string& text, const std::string&) { p.jql = text; }},
  };
  return settings;
}

const ProjectSetting* find_project_setting(std::string_view name) {
  for (const ProjectSetting& s : project_settings()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string known_project_keys() {
  std::string out = "key";
  for (const ProjectSetting& s : project_settings()) out += ", " + std::string(s.name);
  return out + ", field_strategy";
}

}  // namespace jirasync
