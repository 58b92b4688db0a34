#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "common/config/config_sources.hpp"
#include "common/jql/parser.hpp"
#include "common/url/database_url.hpp"

namespace jirasync {
namespace {

constexpr const char* kStrategies[] = {"JIRA_WINS", "LOCAL_WINS", "NEWEST_WINS", "MANUAL"};
constexpr const char* kLogFormats[] = {"text", "json"};
constexpr const char* kLogLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
// GET /rest/api/3/search/jql pages by maxResults: up to 5000 when only ids
// are requested (the sweep), up to 100 with fields (every other fetch).
constexpr int kMaxSweepPageSize = 5000;
constexpr int kMaxPageSize = 100;
// Each API handler thread opens two PostgreSQL connections.
constexpr int kMaxHandlerThreads = 64;
// The fields a local edit may override (overridable_fields() in
// services/reconciler, which refuses any other when it builds the policy).
constexpr const char* kOverridableFields[] = {"summary",  "status", "priority",
                                              "assignee", "labels", "description"};
// crontab(5) shorthands the scheduler's cron parser reads.
constexpr const char* kCronShorthands[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                           "@daily",  "@midnight", "@hourly"};

template <typename Number>
void require_at_least(Number value, Number minimum, const std::string& key) {
  if (value < minimum) {
    std::ostringstream reason;
    reason << "must be at least " << minimum << ", got " << value;
    throw ConfigError(key, reason.str());
  }
}

template <typename Number>
void require_positive(Number value, const std::string& key) {
  if (!(value > 0)) {
    std::ostringstream reason;
    reason << "must be greater than 0, got " << value;
    throw ConfigError(key, reason.str());
  }
}

template <typename Number>
void require_between(Number value, Number minimum, Number maximum, const std::string& key,
                     const std::string& why) {
  if (value < minimum || value > maximum) {
    std::ostringstream reason;
    reason << "must be between " << minimum << " and " << maximum << " (" << why << "), got "
           << value;
    throw ConfigError(key, reason.str());
  }
}

template <size_t N>
void require_one_of(const std::string& value, const char* const (&allowed)[N],
                    const std::string& key) {
  std::string list;
  for (const char* option : allowed) {
    if (value == option) return;
    if (!list.empty()) list += "|";
    list += option;
  }
  throw ConfigError(key, "must be one of " + list + ", got '" + value + "'");
}

bool is_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

bool is_port(std::string_view text, int minimum) {
  if (!is_digits(text) || text.size() > 5) return false;
  const int port = std::stoi(std::string(text));
  return port >= minimum && port <= 65535;
}

bool is_loopback_ipv4(std::string_view host) {
  int octets = 0;
  size_t begin = 0;
  while (begin <= host.size()) {
    const size_t dot = host.find('.', begin);
    const std::string_view part =
        host.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin);
    if (!is_digits(part) || part.size() > 3 || std::stoi(std::string(part)) > 255) return false;
    if (octets == 0 && part != "127") return false;
    ++octets;
    if (dot == std::string_view::npos) break;
    begin = dot + 1;
  }
  return octets == 4;
}

bool is_loopback_host(std::string host) {
  for (char& c : host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return host == "localhost" || host == "[::1]" || is_loopback_ipv4(host);
}

// https://host[:port][/path]; http:// only to loopback (the simulator). Credentials
// never ride in the URL. The URL itself is not echoed: a user may have pasted one.
void validate_base_url(std::string& url) {
  const std::string key = "jira.base_url";
  if (url.empty()) return;  // only the fetcher needs Jira; it checks presence itself
  bool https = false;
  size_t rest = 0;
  if (url.starts_with("https://")) {
    https = true;
    rest = 8;
  } else if (url.starts_with("http://")) {
    rest = 7;
  } else {
    throw ConfigError(key, "must start with https:// (http:// is allowed only to a loopback host)");
  }
  const size_t end = url.find_first_of("/?#", rest);
  const std::string authority =
      url.substr(rest, end == std::string::npos ? std::string::npos : end - rest);
  if (authority.find('@') != std::string::npos) {
    throw ConfigError(key, "must not contain credentials; the token comes from JIRA_API_TOKEN");
  }
  std::string host = authority;
  std::string port;
  if (host.starts_with("[")) {
    const size_t close = host.find(']');
    if (close == std::string::npos) throw ConfigError(key, "has an unclosed '[' in the host");
    if (close + 1 < host.size()) {
      if (host[close + 1] != ':') throw ConfigError(key, "has a malformed host");
      port = host.substr(close + 2);
    }
    host = host.substr(0, close + 1);
  } else if (const size_t colon = host.find(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) throw ConfigError(key, "has no host");
  if (authority.find(':') != std::string::npos && !is_port(port, 1)) {
    throw ConfigError(key, "has an invalid port");
  }
  if (!https && !is_loopback_host(host)) {
    throw ConfigError(key,
                      "plain http:// is allowed only to a loopback host (127.0.0.0/8, localhost, "
                      "[::1]); use https://");
  }
  while (url.size() > rest && url.back() == '/') url.pop_back();
}

void validate_listen(const std::string& listen, const std::string& key = "listen") {
  const size_t colon = listen.rfind(':');
  const bool ok = colon != std::string::npos && colon > 0 && is_port(listen.substr(colon + 1), 0);
  if (!ok) throw ConfigError(key, "expected HOST:PORT (e.g. 127.0.0.1:8080), got '" + listen + "'");
}

bool is_project_key(const std::string& key) {
  if (key.empty() || key[0] < 'A' || key[0] > 'Z') return false;
  return key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
}

// Only the shape here (five fields or a shorthand); the scheduler's cron
// parser reads the values, and `jirasync check` runs it.
void validate_cron(const std::string& cron, const std::string& key) {
  std::istringstream in(cron);
  std::string field;
  std::string first;
  int fields = 0;
  while (in >> field) {
    if (fields++ == 0) first = field;
  }
  if (first.starts_with("@")) {
    if (fields != 1) throw ConfigError(key, "a shorthand like " + first + " stands alone");
    require_one_of(first, kCronShorthands, key);
    return;
  }
  if (fields != 5) {
    throw ConfigError(key,
                      "expected 5 cron fields (minute hour day-of-month month day-of-week) or a "
                      "shorthand (@hourly, @daily, @weekly, @monthly, @yearly), got " +
                          std::to_string(fields));
  }
}

// The sync scope is ANDed into the fetcher's searches, so it must be a
// filter Jira reads: it parses, and it leaves the order to the fetcher.
void validate_scope(const ProjectSettings& p, const std::string& key) {
  if (p.jql.empty()) return;
  const std::string what = "the sync scope of project " + p.key + " ";
  if (p.jql.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ConfigError(key, what + "is blank; leave `jql` out to keep every issue");
  }
  try {
    const JqlQuery query = parse_jql(p.jql);
    if (!query.where) throw ConfigError(key, what + "has no condition");
    if (!query.order_by.empty()) {
      throw ConfigError(key, what + "must not have ORDER BY (the fetcher orders its searches)");
    }
  } catch (const JqlError& e) {
    // WAS and CHANGED are Jira's to answer: the scope only ever goes to Jira.
    if (e.kind() != JqlError::Kind::kUnsupported)
      throw ConfigError(key, what + "is not valid JQL: " + e.what());
  }
}

void validate_projects(const std::vector<ProjectSettings>& projects) {
  std::set<std::string> seen;
  for (size_t i = 0; i < projects.size(); ++i) {
    const ProjectSettings& p = projects[i];
    const std::string path = "projects[" + std::to_string(i) + "]";
    if (!is_project_key(p.key)) {
      throw ConfigError(path + ".key",
                        "expected a Jira project key (upper-case letter, then upper-case letters, "
                        "digits or '_'), got '" +
                            p.key + "'");
    }
    if (!seen.insert(p.key).second) {
      throw ConfigError(path + ".key", "project " + p.key + " is listed twice");
    }
    require_one_of(p.strategy, kStrategies, path + ".strategy");
    for (const auto& [field, strategy] : p.field_strategy) {
      if (field.empty()) throw ConfigError(path + ".field_strategy", "has an empty field name");
      if (std::find_if(std::begin(kOverridableFields), std::end(kOverridableFields),
                       [&](const char* f) { return field == f; }) == std::end(kOverridableFields)) {
        throw ConfigError(path + ".field_strategy." + field,
                          "unknown field; local edits (and so conflicts) exist only for "
                          "summary|status|priority|assignee|labels|description");
      }
      require_one_of(strategy, kStrategies, path + ".field_strategy." + field);
    }
    validate_cron(p.incremental_cron, path + ".incremental_cron");
    validate_cron(p.full_cron, path + ".full_cron");
    validate_scope(p, path + ".jql");
  }
}

void validate_jira(JiraSettings& jira) {
  validate_base_url(jira.base_url);
  if (!jira.api_token.empty() && jira.email.empty()) {
    throw ConfigError("jira.email",
                      "required with JIRA_API_TOKEN (Jira Cloud authenticates email:token)");
  }
  require_positive(jira.timeout_ms, "jira.timeout_ms");
  require_at_least(jira.max_attempts, 1, "jira.max_attempts");
  require_positive(jira.backoff_base_ms, "jira.backoff_base_ms");
  require_at_least(jira.backoff_max_ms, jira.backoff_base_ms, "jira.backoff_max_ms");
  require_between(jira.page_size, 1, kMaxPageSize, "jira.page_size",
                  "Jira's search returns at most 100 issues per page with fields");
  require_between(jira.sweep_page_size, 1, kMaxSweepPageSize, "jira.sweep_page_size",
                  "Jira's search returns at most 5000 ids per page");
  require_at_least(jira.rate_per_s, 0.0, "jira.rate_per_s");
  // A bucket holding less than one token would never let a request through.
  require_at_least(jira.rate_burst, 1.0, "jira.rate_burst");
  require_at_least<int64_t>(jira.overlap_ms, 0, "jira.overlap_ms");
  require_between(jira.concurrency, 1, 64, "jira.concurrency",
                  "requests one fetcher keeps in flight");
}

void validate_kafka(const KafkaSettings& kafka) {
  if (kafka.brokers.empty()) throw ConfigError("kafka.brokers", "must not be empty");
  if (kafka.topic_prefix.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
      std::string::npos) {
    throw ConfigError("kafka.topic_prefix",
                      "may contain only letters, digits, '.', '_' and '-' (Kafka topic names)");
  }
  static constexpr const char* kBooleans[] = {"true", "false"};
  require_one_of(kafka.api_version_request, kBooleans, "kafka.api_version_request");
  if (!kafka.broker_version_fallback.empty() &&
      kafka.broker_version_fallback.find_first_not_of("0123456789.") != std::string::npos) {
    throw ConfigError("kafka.broker_version_fallback", "expected a version like 0.9.0.1, got '" +
                                                           kafka.broker_version_fallback + "'");
  }
  require_positive(kafka.session_timeout_ms, "kafka.session_timeout_ms");
  for (const auto& [property, value] : kafka.extra) {
    if (property.empty()) throw ConfigError("kafka.extra", "has an empty property name");
  }
}

}  // namespace

void validate_config(Config& config) {
  validate_jira(config.jira);
  validate_projects(config.projects);
  validate_kafka(config.kafka);
  validate_notifications(config.notifications);
  const std::string& db = config.database_url;
  try {
    parse_database_url(db);
  } catch (const std::invalid_argument& e) {
    // The parser's message starts with the key and never repeats a password.
    const std::string what = e.what();
    const std::string prefix = "database_url: ";
    throw ConfigError("database_url", what.starts_with(prefix) ? what.substr(prefix.size()) : what);
  }
  if (config.schedule_time_zone.empty()) {
    throw ConfigError("schedule_time_zone",
                      "must name an IANA time zone, e.g. UTC or Europe/Berlin");
  }
  require_one_of(config.log_level, kLogLevels, "log_level");
  require_one_of(config.log_format, kLogFormats, "log.format");
  validate_listen(config.listen);
  require_positive(config.http.max_connections, "http.max_connections");
  require_positive(config.http.idle_timeout_ms, "http.idle_timeout_ms");
  validate_listen(config.api.listen, "api.listen");
  if (config.api.rate_per_s < 0)
    throw ConfigError("api.rate_per_s", "must be 0 (unlimited) or more");
  require_positive(config.api.rate_burst, "api.rate_burst");
  require_positive(config.api.max_request_bytes, "api.max_request_bytes");
  if (config.api.handler_threads < 1 || config.api.handler_threads > kMaxHandlerThreads)
    throw ConfigError("api.handler_threads", "must be 1 to " + std::to_string(kMaxHandlerThreads) +
                                                 " (each thread holds database connections)");
  require_positive(config.writer_batch_size, "writer.batch_size");
  require_at_least(config.writer_linger_ms, 0, "writer.linger_ms");
  require_positive(config.reconciler_batch_size, "reconciler.batch_size");
  require_at_least(config.reconciler_linger_ms, 0, "reconciler.linger_ms");
  require_at_least(config.max_run_attempts, 1, "runs.max_attempts");
  require_positive(config.run_lease_ms, "runs.lease_ms");
  require_positive(config.max_issue_bytes, "limits.max_issue_bytes");
  require_positive(config.max_field_bytes, "limits.max_field_bytes");
  if (config.max_field_bytes > config.max_issue_bytes) {
    throw ConfigError("limits.max_field_bytes", "must not exceed limits.max_issue_bytes");
  }
}

}  // namespace jirasync
