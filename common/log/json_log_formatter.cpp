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

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one
// (overlong forms, surrogates and values past U+10FFFF included).
size_t utf8_sequence(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) low = 0xA0;
    if (b == 0xED) high = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) low = 0x90;
    if (b == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// A JSON string: control characters escaped, bytes that are not UTF-8
// replaced by U+FFFD, so every line is valid JSON whatever a message carries.
void append_string(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '"':
        append(dest, "\\\"");
        continue;
      case '\\':
        append(dest, "\\\\");
        continue;
      case '\n':
        append(dest, "\\n");
        continue;
      case '\r':
        append(dest, "\\r");
        continue;
      case '\t':
        append(dest, "\\t");
        continue;
      default:
        break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
      append(dest, escaped);
    } else if (u < 0x80) {
      dest.push_back(c);
    } else if (const size_t n = utf8_sequence(text, i); n > 0) {
      append(dest, text.substr(i, n));
      i += n - 1;
    } else {
      append(dest, "\\ufffd");
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
