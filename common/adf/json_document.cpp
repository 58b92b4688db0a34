#include "common/adf/json_document.hpp"

#include <rapidjson/error/en.h>

#include "common/model/payload_error.hpp"

namespace jirasync {
namespace {

// Deepest bracket nesting outside strings; stops counting once past `limit`.
size_t nesting_depth(std::string_view text, size_t limit, size_t& where) {
  size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) {
        where = i;
        return depth;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return 0;
}

}  // namespace

void parse_json_text(std::string_view text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth) {
  size_t where = 0;
  if (nesting_depth(text, max_depth, where) > max_depth) {
    throw PayloadError(field, "JSON nested deeper than " + std::to_string(max_depth) +
                                  " levels (at offset " + std::to_string(where) + ")");
  }
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(text.data(), text.size());
  if (doc.HasParseError()) {
    throw PayloadError(field, std::string("invalid JSON at offset ") +
                                  std::to_string(doc.GetErrorOffset()) + ": " +
                                  rapidjson::GetParseError_En(doc.GetParseError()));
  }
}

}  // namespace jirasync
