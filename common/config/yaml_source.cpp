#include <algorithm>
#include <set>
#include <type_traits>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "common/config/config_sources.hpp"
#include "common/config/setting_table.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/time/duration_text.hpp"
#include "common/url/database_url.hpp"

namespace jirasync {
namespace {

const char* shape_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a single value";
  }
}

constexpr const char* kKafkaSecretsFromEnvironment =
    "secrets do not belong in the file; set it through JIRASYNC_KAFKA_EXTRA in the environment";

// Every PEM private key header ("-----BEGIN [RSA |EC |ENCRYPTED |OPENSSH ]PRIVATE
// KEY-----") ends this way; a key pasted under any name is refused.
bool holds_private_key(const std::string& value) {
  return value.find("PRIVATE KEY-----") != std::string::npos;
}

std::string scalar_of(const YAML::Node& node, const std::string& key) {
  if (node.IsNull()) {
    throw ConfigError(key, "has no value (write \"\" for an empty string)");
  }
  if (!node.IsScalar()) {
    throw ConfigError(key, std::string("expected a single value, got ") + shape_of(node));
  }
  if (holds_private_key(node.Scalar())) {
    throw ConfigError(key,
                      "holds a PEM private key; secrets are read only from the environment "
                      "(for Kafka: JIRASYNC_KAFKA_EXTRA=ssl.key.location=/run/secrets/...)");
  }
  return node.Scalar();
}

// librdkafka properties that carry a secret by name.
bool is_secret_property(const std::string& property) {
  return property.find("password") != std::string::npos ||
         property.find("secret") != std::string::npos || property == "ssl.key.pem";
}

void require_map(const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) {
    throw ConfigError(key, std::string("expected a mapping, got ") + shape_of(node));
  }
}

// Iterates a mapping, rejecting non-scalar and repeated keys: a key given twice
// is a typo or a merge accident, and the loser would silently be ignored.
template <typename Visit>
void for_each_entry(const YAML::Node& map, const std::string& path, Visit visit) {
  std::set<std::string> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) {
      throw ConfigError(path.empty() ? "yaml" : path, "keys must be plain names");
    }
    const std::string name = entry.first.Scalar();
    const std::string key = path.empty() ? name : path + "." + name;
    if (!seen.insert(name).second) throw ConfigError(key, "given twice");
    visit(name, key, entry.second);
  }
}

[[noreturn]] void unknown_key(const std::string& key, std::string_view section) {
  throw ConfigError(key, "unknown key (typo?); known keys" +
                             (section.empty() ? std::string() : " in " + std::string(section)) +
                             ": " + known_keys(section));
}

void read_section(const std::string& section, const YAML::Node& node, Config& config) {
  require_map(node, section);
  for_each_entry(
      node, section, [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (section == "jira" && name == "api_token") {
          throw ConfigError(key,
                            "secrets are read only from JIRA_API_TOKEN or JIRA_API_TOKEN_FILE");
        }
        if (section == "kafka" && name == "extra") {
          require_map(value, key);
          for_each_entry(value, key,
                         [&](const std::string& property, const std::string& property_key,
                             const YAML::Node& property_value) {
                           if (is_secret_property(property)) {
                             throw ConfigError(property_key, kKafkaSecretsFromEnvironment);
                           }
                           config.kafka.extra[property] = scalar_of(property_value, property_key);
                         });
          return;
        }
        const ScalarSetting* setting = find_setting(section, name);
        if (!setting) unknown_key(key, section);
        assign_setting(*setting, config, scalar_of(value, key), key);
      });
}

ProjectSettings read_project(const YAML::Node& node, const std::string& path) {
  require_map(node, path);
  ProjectSettings project;
  bool has_key = false;
  for_each_entry(
      node, path, [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (name == "key") {
          project.key = scalar_of(value, key);
          has_key = true;
        } else if (const ProjectSetting* setting = find_project_setting(name)) {
          setting->assign(project, scalar_of(value, key), key);
        } else if (name == "field_strategy") {
          require_map(value, key);
          for_each_entry(value, key,
                         [&](const std::string& field, const std::string& field_key,
                             const YAML::Node& strategy) {
                           project.field_strategy[field] = scalar_of(strategy, field_key);
                         });
        } else {
          throw ConfigError(
              key, "unknown key (typo?); known keys in a project: " + known_project_keys());
        }
      });
  if (!has_key) throw ConfigError(path + ".key", "missing (the Jira project key, e.g. WRKA)");
  return project;
}

void read_projects(const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) {
    throw ConfigError("projects", std::string("expected a list, got ") + shape_of(node));
  }
  config.projects.clear();
  for (size_t i = 0; i < node.size(); ++i) {
    config.projects.push_back(read_project(node[i], "projects[" + std::to_string(i) + "]"));
  }
}

TemplateSettings read_template(const YAML::Node& node, const std::string& path) {
  require_map(node, path);
  TemplateSettings t;
  for_each_entry(
      node, path, [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (name == "name") {
          t.name = scalar_of(value, key);
        } else if (name == "description") {
          t.description = scalar_of(value, key);
        } else if (name == "jql") {
          t.jql = scalar_of(value, key);
        } else if (name == "params") {
          require_map(value, key);
          for_each_entry(value, key,
                         [&](const std::string& param, const std::string& param_key,
                             const YAML::Node& fallback) {
                           t.params[param] =
                               fallback.IsNull() ? std::string() : scalar_of(fallback, param_key);
                         });
        } else {
          throw ConfigError(key,
                            "unknown key (typo?); known keys in a template: name, description, "
                            "jql, params");
        }
      });
  if (t.name.empty()) throw ConfigError(path + ".name", "missing (how `--template` names it)");
  if (t.jql.empty()) throw ConfigError(path + ".jql", "missing (the JQL query)");
  return t;
}

void read_templates(const YAML::Node& node, Config& config) {
  if (!node.IsSequence()) {
    throw ConfigError("templates", std::string("expected a list, got ") + shape_of(node));
  }
  config.templates.clear();
  for (size_t i = 0; i < node.size(); ++i) {
    config.templates.push_back(read_template(node[i], "templates[" + std::to_string(i) + "]"));
  }
}

std::vector<std::string> string_list(const YAML::Node& node, const std::string& key) {
  if (node.IsScalar()) return {scalar_of(node, key)};  // one item may be written bare
  if (!node.IsSequence()) {
    throw ConfigError(key, std::string("expected a list, got ") + shape_of(node));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < node.size(); ++i) {
    out.push_back(scalar_of(node[i], key + "[" + std::to_string(i) + "]"));
  }
  return out;
}

int64_t duration_of(const YAML::Node& node, const std::string& key) {
  try {
    return parse_duration_ms(scalar_of(node, key));
  } catch (const std::invalid_argument& e) {
    throw ConfigError(key, e.what());
  }
}

template <typename Number>
Number number_of(const YAML::Node& node, const std::string& key) {
  Config scratch;  // parsed as the setting table parses numbers, for the same errors
  const std::string text = scalar_of(node, key);
  if constexpr (std::is_same_v<Number, double>) {
    assign_setting(*find_setting("jira", "rate_per_s"), scratch, text, key);
    return scratch.jira.rate_per_s;
  } else {
    assign_setting(*find_setting("jira", "timeout_ms"), scratch, text, key);
    return scratch.jira.timeout_ms;
  }
}

constexpr const char* kNotifySecretFromEnvironment =
    "secrets are read only from the environment: JIRASYNC_NOTIFY_<SINK NAME>_SECRET (or _FILE)";

NotificationSinkSettings read_sink(const YAML::Node& node, const std::string& path) {
  require_map(node, path);
  NotificationSinkSettings sink;
  for_each_entry(
      node, path, [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (name == "name") {
          sink.name = scalar_of(value, key);
        } else if (name == "type") {
          sink.type = scalar_of(value, key);
        } else if (name == "url") {
          sink.url = scalar_of(value, key);
        } else if (name == "events") {
          sink.events = string_list(value, key);
        } else if (name == "host") {
          sink.smtp_host = scalar_of(value, key);
        } else if (name == "port") {
          sink.smtp_port = number_of<int>(value, key);
        } else if (name == "starttls") {
          sink.starttls = scalar_of(value, key);
        } else if (name == "from") {
          sink.mail_from = scalar_of(value, key);
        } else if (name == "to") {
          sink.mail_to = string_list(value, key);
        } else if (name == "timeout") {
          sink.timeout_ms = static_cast<int>(duration_of(value, key));
        } else if (name == "secret" || name == "password") {
          throw ConfigError(key, kNotifySecretFromEnvironment);
        } else {
          throw ConfigError(key,
                            "unknown key (typo?); known keys in a sink: name, type, url, events, "
                            "host, port, starttls, from, to, timeout");
        }
      });
  if (sink.name.empty()) throw ConfigError(path + ".name", "missing (e.g. ops)");
  if (sink.type.empty()) throw ConfigError(path + ".type", "missing (webhook, slack or smtp)");
  return sink;
}

void read_notifications(const YAML::Node& node, Config& config) {
  require_map(node, "notifications");
  NotificationSettings& n = config.notifications;
  for_each_entry(
      node, "notifications",
      [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (name == "events") {
          n.events = string_list(value, key);
        } else if (name == "conflict_jql") {
          n.conflict_jql = scalar_of(value, key);
        } else if (name == "mass_delete_share") {
          n.mass_delete_share = number_of<double>(value, key);
        } else if (name == "stale_factor") {
          n.stale_factor = number_of<double>(value, key);
        } else if (name == "max_age") {
          n.max_age_ms = duration_of(value, key);
        } else if (name == "retry_base") {
          n.retry_base_ms = duration_of(value, key);
        } else if (name == "sinks") {
          if (!value.IsSequence()) {
            throw ConfigError(key, std::string("expected a list, got ") + shape_of(value));
          }
          n.sinks.clear();
          for (size_t i = 0; i < value.size(); ++i) {
            n.sinks.push_back(read_sink(value[i], key + "[" + std::to_string(i) + "]"));
          }
        } else {
          throw ConfigError(key,
                            "unknown key (typo?); known keys in notifications: events, "
                            "conflict_jql, mass_delete_share, stale_factor, max_age, retry_base, "
                            "sinks");
        }
      });
}

constexpr const char* kWebhookSecretFromEnvironment =
    "secrets are read only from JIRASYNC_WEBHOOK_SECRET or JIRASYNC_WEBHOOK_SECRET_FILE";

// The scheduler section holds only the webhook secret, which never belongs in
// the file: it exists so that writing the key there gets a clear refusal.
void read_scheduler_section(const YAML::Node& node) {
  require_map(node, "scheduler");
  for_each_entry(node, "scheduler",
                 [&](const std::string& name, const std::string& key, const YAML::Node&) {
                   if (name == "webhook_secret") {
                     throw ConfigError(key, kWebhookSecretFromEnvironment);
                   }
                   throw ConfigError(key,
                                     "unknown key (typo?); the scheduler section has no keys "
                                     "for the file (webhook_secret comes from "
                                     "JIRASYNC_WEBHOOK_SECRET)");
                 });
}

}  // namespace

void apply_yaml(const std::string& yaml_text, Config& config) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own guard on its recursive parser; its message says only "bad file".
    throw ConfigError("yaml", "nested deeper than " + std::to_string(e.depth()) + " levels (line " +
                                  std::to_string(e.mark.line + 1) + ")");
  } catch (const YAML::Exception& e) {
    throw ConfigError("yaml", redact(e.what()));
  }
  if (root.IsNull()) return;  // an empty file means "defaults"
  if (!root.IsMap()) {
    throw ConfigError("yaml", std::string("the document must be a mapping, got ") + shape_of(root));
  }
  const auto& sections = setting_sections();
  for_each_entry(
      root, "", [&](const std::string& name, const std::string& key, const YAML::Node& value) {
        if (name == "projects") {
          read_projects(value, config);
        } else if (name == "templates") {
          read_templates(value, config);
        } else if (name == "scheduler") {
          read_scheduler_section(value);
        } else if (name == "notifications") {
          read_notifications(value, config);
        } else if (name == "webhook_secret") {
          throw ConfigError(key, kWebhookSecretFromEnvironment);
        } else if (std::find(sections.begin(), sections.end(), name) != sections.end()) {
          read_section(name, value, config);
        } else if (name == "database_password" || name == "api_token") {
          throw ConfigError(key,
                            "secrets are read only from the environment (JIRA_API_TOKEN, "
                            "JIRASYNC_DATABASE_PASSWORD or their _FILE forms)");
        } else if (const ScalarSetting* setting = find_setting("", name)) {
          assign_setting(*setting, config, scalar_of(value, key), key);
        } else {
          unknown_key(key, "");
        }
      });
  if (database_url_password(config.database_url)) {
    throw ConfigError("database_url",
                      "contains a password; secrets are read only from "
                      "JIRASYNC_DATABASE_PASSWORD or JIRASYNC_DATABASE_PASSWORD_FILE");
  }
}

}  // namespace jirasync
