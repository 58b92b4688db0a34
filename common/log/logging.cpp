#include "common/log/logging.hpp"

#include <mutex>
#include <stdexcept>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "common/log/json_log_formatter.hpp"
#include "common/log/redacting_sink.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%eZ %l [%n] %v";

struct LoggingState {
  std::mutex mutex;
  std::shared_ptr<RedactingSink> sink;
  std::string service = "jirasync";
  LogFormat format = LogFormat::kText;
};

LoggingState& state() {
  static LoggingState s;
  return s;
}

std::unique_ptr<spdlog::formatter> make_formatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonLogFormatter>();
  return std::make_unique<spdlog::pattern_formatter>(kPattern, spdlog::pattern_time_type::utc);
}

// Caller holds state().mutex.
std::shared_ptr<RedactingSink> shared_sink_locked(LoggingState& s) {
  if (!s.sink) {
    s.sink = std::make_shared<RedactingSink>(
        std::make_shared<spdlog::sinks::stderr_color_sink_mt>(), SecretRedactor::process());
    s.sink->set_formatter(make_formatter(s.format));
  }
  return s.sink;
}

}  // namespace

spdlog::level::level_enum parse_log_level(const std::string& level) {
  static constexpr std::pair<const char*, spdlog::level::level_enum> kLevels[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},   {"critical", spdlog::level::critical},
      {"off", spdlog::level::off}};
  for (const auto& [name, value] : kLevels) {
    if (level == name) return value;
  }
  throw std::invalid_argument("log_level: unknown level '" + level +
                              "' (trace|debug|info|warn|error|critical|off)");
}

void init_logging(const std::string& level, const std::string& service_name) {
  init_logging(level, service_name, std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
}

void init_logging(const std::string& level, const std::string& service_name,
                  spdlog::sink_ptr output) {
  const spdlog::level::level_enum parsed = parse_log_level(level);
  LoggingState& s = state();
  std::lock_guard lock(s.mutex);
  auto sink = shared_sink_locked(s);
  sink->set_output(std::move(output));
  s.service = service_name;
  // The registry's formatter is what initialize_logger gives every new logger.
  spdlog::set_formatter(make_formatter(s.format));
  auto logger = std::make_shared<spdlog::logger>(service_name, sink);
  spdlog::drop(service_name);
  spdlog::initialize_logger(logger);
  spdlog::set_default_logger(logger);
  spdlog::set_level(parsed);
  spdlog::flush_on(spdlog::level::warn);
}

LogFormat parse_log_format(const std::string& name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  throw std::invalid_argument("log.format: unknown format '" + name + "' (text|json)");
}

void set_log_format(LogFormat format) {
  LoggingState& s = state();
  std::lock_guard lock(s.mutex);
  s.format = format;
  // Every logger's formatter, and so the shared sink's and its output's.
  spdlog::set_formatter(make_formatter(format));
  shared_sink_locked(s)->set_formatter(make_formatter(format));
}

std::shared_ptr<spdlog::logger> get_logger(const std::string& component) {
  LoggingState& s = state();
  std::lock_guard lock(s.mutex);
  const std::string name = s.service + "." + component;
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = std::make_shared<spdlog::logger>(name, shared_sink_locked(s));
  spdlog::initialize_logger(logger);
  return logger;
}

}  // namespace jirasync
