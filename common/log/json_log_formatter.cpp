#include "common/log/json_log_formatter.hpp"

#include <spdlog/details/log_msg.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

namespace jirasync {
namespace {

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// A JSON string; control characters escaped, other bytes as they are (the
// message is the program's own text, already redacted).
void append_string(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        append(dest, "\\\"");
        break;
      case '\\':
        append(dest, "\\\\");
        break;
      case '\n':
        append(dest, "\\n");
        break;
      case '\r':
        append(dest, "\\r");
        break;
      case '\t':
        append(dest, "\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
          append(dest, escaped);
        } else {
          dest.push_back(c);
        }
    }
  }
  dest.push_back('"');
}

void append_time(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point when) {
  const auto since = when.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since - seconds);
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis.count()));
  append_string(dest, text);
}

}  // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  append(dest, "{\"time\":");
  append_time(dest, msg.time);
  append(dest, ",\"level\":");
  const auto level = spdlog::level::to_string_view(msg.level);
  append_string(dest, std::string_view(level.data(), level.size()));
  append(dest, ",\"logger\":");
  append_string(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  append(dest, ",\"message\":");
  append_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
  append(dest, "}\n");
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

}  // namespace jirasync
