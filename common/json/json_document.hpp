#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace jirasync {

// Deeper nesting than any real Jira payload needs (ADF allows ~100 node
// levels, each two JSON levels); anything deeper is hostile or broken.
inline constexpr size_t kMaxJsonDepth = 512;

// Parses untrusted JSON text into `doc`. Stops at the nesting limit while parsing
// and uses RapidJSON's iterative parser, so hostile input cannot overflow the
// stack; rejects invalid UTF-8 and NUL bytes. Throws PayloadError(field, ...) with the
// offset and the reason, never echoing the text (it may carry anything).
void parse_json_text(const std::string& text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth = kMaxJsonDepth);
// The same for text that is not NUL-terminated (copies it once).
void parse_json_text(std::string_view text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth = kMaxJsonDepth);
inline void parse_json_text(const char* text, rapidjson::Document& doc, const std::string& field,
                            size_t max_depth = kMaxJsonDepth) {
  parse_json_text(std::string(text), doc, field, max_depth);
}

// `value` as compact JSON text, as RapidJSON's Writer renders it.
std::string compact_json(const rapidjson::Value& value);

}  // namespace jirasync
