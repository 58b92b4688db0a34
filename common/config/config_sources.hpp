#pragma once

#include <map>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {

// The loading steps, in order of precedence (later wins). Each throws
// ConfigError naming the key; none echoes a secret.
using Environment = std::map<std::string, std::string>;

// Applies a YAML document on top of `config` (defaults). Rejects unknown keys,
// wrong shapes and secrets written into the file.
void apply_yaml(const std::string& yaml_text, Config& config);

// Applies JIRASYNC_<SECTION>_<KEY> overrides and JIRASYNC_PROJECTS / JIRASYNC_KAFKA_EXTRA.
void apply_environment(const Environment& env, Config& config);

// Reads JIRA_API_TOKEN(_FILE), JIRASYNC_DATABASE_PASSWORD(_FILE) and
// JIRASYNC_WEBHOOK_SECRET(_FILE); merges the password into a postgresql:// database_url.
void apply_secrets(const Environment& env, Config& config);

// Checks every value (ranges, enums, URL schemes, cron shapes, duplicates) and
// normalises a few (trailing '/' of jira.base_url).
void validate_config(Config& config);

// The notifications section (events, shares, sinks); part of validate_config.
void validate_notifications(NotificationSettings& notifications);

// "JIRASYNC_NOTIFY_OPS_" for the sink named "ops": its URL and secret
// variables are this plus URL / SECRET (and _FILE).
std::string notification_env_prefix(const std::string& sink_name);

}  // namespace jirasync
