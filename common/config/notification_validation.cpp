#include <set>
#include <sstream>

#include "common/config/config_sources.hpp"

namespace jirasync {
namespace {

constexpr const char* kEvents[] = {"run_failed", "run_succeeded", "conflict", "mass_delete",
                                   "stale_cache"};

std::string one_of_list(const char* const* begin, const char* const* end) {
  std::string out;
  for (auto it = begin; it != end; ++it) out += (out.empty() ? "" : "|") + std::string(*it);
  return out;
}

void check_events(const std::vector<std::string>& events, const std::string& key) {
  for (size_t i = 0; i < events.size(); ++i) {
    bool known = false;
    for (const char* e : kEvents) known = known || events[i] == e;
    if (!known) {
      throw ConfigError(key + "[" + std::to_string(i) + "]",
                        "unknown event '" + events[i] +
                            "'; one of: " + one_of_list(std::begin(kEvents), std::end(kEvents)));
    }
  }
}

bool loopback_http(const std::string& url) {
  for (const char* prefix : {"http://127.", "http://localhost", "http://[::1]"}) {
    if (url.starts_with(prefix)) return true;
  }
  return false;
}

// The URL is not echoed: a Slack URL is a credential.
void check_url(const std::string& url, const std::string& key, const std::string& env_name) {
  if (url.empty()) {
    throw ConfigError(key, "missing (the URL to POST to; or set " + env_name + ")");
  }
  if (!url.starts_with("https://") && !loopback_http(url)) {
    throw ConfigError(key, "must start with https:// (http:// is allowed only to a loopback host)");
  }
}

bool is_mail_address(const std::string& text) {
  const size_t at = text.find('@');
  if (at == 0 || at == std::string::npos || at + 1 >= text.size()) return false;
  for (char c : text) {
    // Anything that could end an SMTP command line or a header.
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string notification_env_prefix(const std::string& sink_name) {
  std::string out = "JIRASYNC_NOTIFY_";
  for (char c : sink_name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
  }
  return out + "_";
}

void validate_notifications(NotificationSettings& n) {
  check_events(n.events, "notifications.events");
  if (!(n.mass_delete_share > 0 && n.mass_delete_share <= 1)) {
    std::ostringstream reason;
    reason << "must be greater than 0 and at most 1 (1 = no safety stop), got "
           << n.mass_delete_share;
    throw ConfigError("notifications.mass_delete_share", reason.str());
  }
  if (!(n.stale_factor >= 1)) {
    std::ostringstream reason;
    reason << "must be at least 1 (times each project's cache_ttl), got " << n.stale_factor;
    throw ConfigError("notifications.stale_factor", reason.str());
  }
  if (n.max_age_ms <= 0) throw ConfigError("notifications.max_age", "must be longer than 0");
  if (n.retry_base_ms <= 0) throw ConfigError("notifications.retry_base", "must be longer than 0");
  std::set<std::string> names;
  for (size_t i = 0; i < n.sinks.size(); ++i) {
    NotificationSinkSettings& s = n.sinks[i];
    const std::string path = "notifications.sinks[" + std::to_string(i) + "]";
    for (char c : s.name) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
      if (!ok) throw ConfigError(path + ".name", "only letters, digits, '-' and '_'");
    }
    if (!names.insert(s.name).second) {
      throw ConfigError(path + ".name", "'" + s.name + "' is used by another sink");
    }
    check_events(s.events, path + ".events");
    if (s.timeout_ms <= 0) throw ConfigError(path + ".timeout", "must be longer than 0");
    const std::string env = notification_env_prefix(s.name);
    if (s.type == "webhook" || s.type == "slack") {
      check_url(s.url, path + ".url", env + "URL");
    } else if (s.type == "smtp") {
      if (s.smtp_host.empty()) throw ConfigError(path + ".host", "missing (the SMTP relay)");
      if (s.smtp_port < 1 || s.smtp_port > 65535) {
        throw ConfigError(path + ".port", "must be between 1 and 65535");
      }
      if (s.starttls != "auto" && s.starttls != "required" && s.starttls != "off") {
        throw ConfigError(path + ".starttls", "must be one of auto|required|off");
      }
      if (!is_mail_address(s.mail_from)) {
        throw ConfigError(path + ".from", "must be one mail address, e.g. jirasync@example.com");
      }
      if (s.mail_to.empty()) throw ConfigError(path + ".to", "missing (one or more addresses)");
      for (size_t j = 0; j < s.mail_to.size(); ++j) {
        if (!is_mail_address(s.mail_to[j])) {
          throw ConfigError(path + ".to[" + std::to_string(j) + "]", "is not a mail address");
        }
      }
    } else {
      throw ConfigError(path + ".type", "must be one of webhook|slack|smtp, got '" + s.type + "'");
    }
  }
}

}  // namespace jirasync
