#pragma once

#include <memory>
#include <string>

#include <spdlog/common.h>
#include <spdlog/logger.h>

namespace jirasync {

// Makes the default spdlog logger (named after the service) write to stderr
// through the redacting sink, at `level` (trace|debug|info|warn|error|critical|off).
// Lines look like `2024-05-01T10:00:00.123Z info [fetcher.jira] message` (UTC).
// Call it first thing in main: spdlog's built-in default logger, used before
// this call, does not redact. Throws std::invalid_argument for an unknown
// level. Calling it again re-targets every logger made through common/log.
void init_logging(const std::string& level, const std::string& service_name);

// Same, writing to `output` instead of stderr (tests capture with an ostream sink).
void init_logging(const std::string& level, const std::string& service_name,
                  spdlog::sink_ptr output);

// The logger "<service>.<component>", writing through the same redacting sink.
// Create loggers only here: spdlog's factories (stdout_color_mt, ...) would
// bypass the redaction.
std::shared_ptr<spdlog::logger> get_logger(const std::string& component);

spdlog::level::level_enum parse_log_level(const std::string& level);

// How lines are written: `text` as above, or `json`: one object per line,
// {"time":"2024-05-01T10:00:00.123Z","level":"info","logger":"jirasync-writer","message":"..."},
// for log collectors. Redaction is the same (it runs before formatting, on
// every field that carries text).
enum class LogFormat { kText, kJson };
// Throws std::invalid_argument naming log.format for anything but text|json.
LogFormat parse_log_format(const std::string& name);
// Switches every logger made through common/log at once.
void set_log_format(LogFormat format);

}  // namespace jirasync
