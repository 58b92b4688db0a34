#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace jirasync {

// Deeper nesting than any real Jira payload needs (ADF allows ~100 node
// levels, each two JSON levels); anything deeper is hostile or broken.
inline constexpr size_t kMaxJsonDepth = 512;

// Parses untrusted JSON text into `doc`. Checks nesting depth before parsing
// and uses RapidJSON's iterative parser, so hostile input cannot overflow the
// stack; rejects invalid UTF-8. Throws PayloadError(field, ...) with the
// offset and the reason, never echoing the text (it may carry anything).
void parse_json_text(std::string_view text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth = kMaxJsonDepth);

}  // namespace jirasync
