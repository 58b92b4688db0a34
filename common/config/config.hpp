#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jirasync {

// One clear message naming the key that is wrong or missing.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& reason)
      : std::runtime_error("config " + key + ": " + reason), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

struct JiraSettings {
  std::string base_url;  // https://example.atlassian.net ; http only to loopback
  std::string email;
  std::string api_token;  // from JIRA_API_TOKEN or JIRA_API_TOKEN_FILE only; never logged
  int timeout_ms = 30000;
  int max_attempts = 5;  // per request, with exponential backoff and jitter
  int backoff_base_ms = 500;
  int backoff_max_ms = 30000;
  int page_size = 100;
  int sweep_page_size = 5000;
  double rate_per_s = 100.0 / 60;  // 100 requests a minute, shared by all fetchers; 0 = unlimited
  double rate_burst = 20.0;
  int concurrency = 8;  // requests one fetcher keeps in flight (each through the shared bucket)
  int64_t overlap_ms = 60000;  // incremental window starts this far before the cursor
  // The Jira account the cache is read for: JQL on the cache reads bare dates
  // and startOfDay() & co. in its IANA zone (as Jira does) and currentUser() as
  // its account id. `jirasync check` shows what Jira says for both.
  std::string account_time_zone = "UTC";
  std::string account_id;
};

struct ProjectSettings {
  std::string key;
  std::string strategy = "JIRA_WINS";                 // JIRA_WINS|LOCAL_WINS|NEWEST_WINS|MANUAL
  std::map<std::string, std::string> field_strategy;  // field -> strategy
  std::string incremental_cron = "*/30 * * * *";
  std::string full_cron = "0 6 * * *";
  // How old a cached ticket may be before `show --max-age`, `search --source
  // auto` and the stale marker treat it as stale. YAML `cache_ttl: 1h`.
  int64_t cache_ttl_ms = 3600000;
  // The sync scope: JQL ANDed into every search the fetcher sends for the
  // project, so only matching issues are kept ("" = every issue). An issue
  // that leaves it is marked out of scope by the next full sync, not deleted.
  // YAML `jql: "labels = team-a"`.
  std::string jql{};
};

// A user's saved JQL query with named parameters (`${name}` is a quoted JQL
// string, `${name:int}` a whole number, `${name:list}` a list of strings).
struct TemplateSettings {
  std::string name;
  std::string description;
  std::string jql;
  std::map<std::string, std::string> params;  // parameter -> default ("" = must be given)
};

struct KafkaSettings {
  std::string brokers = "127.0.0.1:9092";
  std::string topic_prefix = "jirasync.";
  std::string api_version_request = "true";  // "false" for 0.9 brokers
  std::string broker_version_fallback = "";  // e.g. "0.9.0.1"
  int session_timeout_ms = 10000;
  bool idempotence = false;  // opt-in, modern brokers only
  // Extra librdkafka properties, passed through verbatim.
  std::map<std::string, std::string> extra;
};

struct WebhookSettings {
  // The secret of the Jira webhook registration: when set, POST /api/webhook
  // requires `X-Hub-Signature: sha256=<hex>`. From JIRASYNC_WEBHOOK_SECRET or
  // JIRASYNC_WEBHOOK_SECRET_FILE only; never logged.
  std::string webhook_secret;
};

// Every role's HTTP listener (health, metrics, the scheduler's control API).
struct HttpSettings {
  int max_connections = 256;    // lowered at start when RLIMIT_NOFILE is small
  int idle_timeout_ms = 30000;  // a connection waiting for a request is closed after this
};

// The API role's listener (jirasync-api) and its per-key request rate.
struct ApiSettings {
  std::string listen = "127.0.0.1:8080";  // loopback: put a TLS reverse proxy in front
  double rate_per_s = 50;                 // requests per second per API key; 0 = unlimited
  int rate_burst = 100;                   // requests a key may send at once
  int max_request_bytes = 1024 * 1024;    // larger bodies get 413
  // Threads that run requests, each with its own database connections. More
  // let more slow searches run at once; past ~2 per core they only queue
  // behind each other and lengthen the tail of short requests.
  int handler_threads = 4;
};

// One place notifications go (docs/configuration.md, "Notifications").
struct NotificationSinkSettings {
  std::string name;  // names the sink in the outbox, logs and its secret's variable
  std::string type;  // webhook | slack | smtp
  // webhook, slack: where to POST. May come from JIRASYNC_NOTIFY_<NAME>_URL (a
  // Slack URL is itself a secret). http only to loopback.
  std::string url;
  // webhook: the HMAC-SHA256 key of X-Jirasync-Signature; from
  // JIRASYNC_NOTIFY_<NAME>_SECRET(_FILE) only, never logged.
  std::string secret;
  std::vector<std::string> events;  // empty = notifications.events
  // smtp: a relay taking plain SMTP; STARTTLS when it offers it (or always: required).
  std::string smtp_host;
  int smtp_port = 25;
  std::string starttls = "auto";  // auto | required | off
  std::string mail_from;
  std::vector<std::string> mail_to;
  int timeout_ms = 10000;
};

struct NotificationSettings {
  // run_failed, run_succeeded, conflict, mass_delete, stale_cache.
  std::vector<std::string> events = {"run_failed", "conflict", "mass_delete", "stale_cache"};
  // A MANUAL conflict notifies only on a ticket matching this JQL ("" = any).
  std::string conflict_jql;
  // The sweep safety stop: a sweep that would delete more than this share of
  // a project's live tickets is held (`jirasync sweep release`). 1 = off.
  double mass_delete_share = 1.0;
  // stale_cache fires when a project's last success is older than this many
  // times its cache_ttl.
  double stale_factor = 3.0;
  int64_t max_age_ms = 24 * 3600000;  // an undelivered notification is dropped after this
  int64_t retry_base_ms = 5000;       // the first retry; doubles each attempt, at most 1 h
  std::vector<NotificationSinkSettings> sinks;
};

// What carries the topics: Kafka between processes, or memory inside one
// process. Parsed once, where the `bus` setting is read.
enum class BusKind { kKafka, kInProcess };
// "kafka" or "inprocess", as the setting is written.
const char* to_string(BusKind kind);

struct Config {
  JiraSettings jira;
  std::vector<ProjectSettings> projects;
  std::vector<TemplateSettings> templates;  // user templates, besides the built-in ones
  KafkaSettings kafka;
  WebhookSettings scheduler;
  NotificationSettings notifications;
  std::string database_url = "sqlite:jirasync.db";  // or postgresql://... ; password via env only
  // From JIRASYNC_DATABASE_PASSWORD(_FILE) (already merged into database_url) or
  // from a password in JIRASYNC_DATABASE_URL; kept so it can be redacted. Never logged.
  std::string database_password;
  BusKind bus = BusKind::kKafka;
  std::string schedule_time_zone = "UTC";
  std::string log_level = "info";
  std::string log_format = "text";     // log.format: text | json (one object per line)
  std::string listen = "127.0.0.1:0";  // health/metrics/control HTTP
  HttpSettings http;
  ApiSettings api;
  int writer_batch_size = 500;
  int writer_linger_ms = 50;
  int reconciler_batch_size = 500;  // records decided per round
  int reconciler_linger_ms = 20;    // how long a partial round waits for more
  int max_run_attempts = 3;
  int64_t run_lease_ms = 120000;
  // Validation caps for Jira payloads.
  int64_t max_issue_bytes = 4 * 1024 * 1024;
  int64_t max_field_bytes = 1024 * 1024;
};

// Loads a YAML file (may be empty path: defaults only), then applies JIRASYNC_*
// environment overrides (e.g. JIRASYNC_KAFKA_BROKERS, JIRASYNC_DATABASE_URL,
// JIRASYNC_JIRA_BASE_URL, JIRASYNC_PROJECTS=A,B), then secrets (JIRA_API_TOKEN /
// JIRA_API_TOKEN_FILE, JIRASYNC_DATABASE_PASSWORD / _FILE). Throws ConfigError.
Config load_config(const std::string& yaml_path);

// Same, but from a YAML string and an explicit environment (for tests).
Config load_config_from(const std::string& yaml_text,
                        const std::map<std::string, std::string>& env);

// Both loaders register the secrets they read (API token, its base64
// "email:token" Basic form, the database password, the webhook secret) with the process
// SecretRedactor, so no log line can carry them. Exposed for configs built by hand.
void register_secrets(const Config& config);

// The environment variables the loader reads (JIRASYNC_*, JIRA_API_TOKEN*),
// taken from the running process.
std::map<std::string, std::string> process_environment();

// The file's text; ConfigError("file", ...) naming the path when unreadable.
std::string read_config_file(const std::string& path);

}  // namespace jirasync
