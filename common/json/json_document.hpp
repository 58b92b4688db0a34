#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace jirasync {

// Deeper nesting than any real Jira payload needs (ADF allows ~100 node
// levels, each two JSON levels); anything deeper is hostile or broken.
inline constexpr size_t kMaxJsonDepth = 512;

// How numbers with a fraction or exponent are read: fast (within one ulp,
// enough for what is only compared or shown) or exactly as written (what a
// topic carries and must give back unchanged).
enum class JsonNumbers { kFast, kFullPrecision };

// Where the document's strings live: each copied on its own (the document
// stands alone), or in one copy of the whole text held by the document's
// allocator, parsed in place (fewer copies; but a value copied into another
// document keeps pointing into this one's text, so only for a document that
// is read and dropped).
enum class JsonStrings { kCopied, kInOneBuffer };

// Parses untrusted JSON text into `doc`. Stops at the nesting limit while parsing
// and uses RapidJSON's iterative parser, so hostile input cannot overflow the
// stack; rejects invalid UTF-8 and NUL bytes. Throws PayloadError(field, ...) with the
// offset and the reason, never echoing the text (it may carry anything).
// Every JSON this project reads from outside goes through here (or, for Jira
// pages, through the equally bounded issue list reader).
void parse_json_text(const std::string& text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth = kMaxJsonDepth, JsonNumbers numbers = JsonNumbers::kFast,
                     JsonStrings strings = JsonStrings::kCopied);
// The same for text that is not NUL-terminated (copies it once).
void parse_json_text(std::string_view text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth = kMaxJsonDepth, JsonNumbers numbers = JsonNumbers::kFast);
inline void parse_json_text(const char* text, rapidjson::Document& doc, const std::string& field,
                            size_t max_depth = kMaxJsonDepth,
                            JsonNumbers numbers = JsonNumbers::kFast) {
  parse_json_text(std::string(text), doc, field, max_depth, numbers);
}

// `value` as compact JSON text, as RapidJSON's Writer renders it. Recursive,
// so only for values parsed by parse_json_text (depth bounded).
std::string compact_json(const rapidjson::Value& value);

}  // namespace jirasync
