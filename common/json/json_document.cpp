#include "common/json/json_document.hpp"

#include <cstring>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"
#include "common/json/utf8_text.hpp"

namespace jirasync {
namespace {

// Builds the document from the reader's events and stops the parse once the
// nesting passes the limit: a DOM that deep would be freed recursively.
class DepthLimitedBuilder {
 public:
  DepthLimitedBuilder(rapidjson::Document& doc, size_t max_depth, bool surrogates_possible)
      : doc_(doc), max_depth_(max_depth), surrogates_possible_(surrogates_possible) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  // The text was checked as UTF-8 before parsing, so an encoded surrogate
  // here came from a lone "\uDC00"-style escape, which RapidJSON passes on.
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    if (!surrogates_possible_ || !has_encoded_surrogate({s, n})) return doc_.String(s, n, copy);
    const std::string clean = replace_encoded_surrogates({s, n});
    return doc_.String(clean.data(), n, true);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (!surrogates_possible_ || !has_encoded_surrogate({s, n})) return doc_.Key(s, n, copy);
    const std::string clean = replace_encoded_surrogates({s, n});
    return doc_.Key(clean.data(), n, true);
  }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return doc_.EndObject(members);
  }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return doc_.EndArray(elements);
  }

  bool too_deep() const { return too_deep_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) too_deep_ = true;
    return !too_deep_;
  }

  rapidjson::Document& doc_;
  size_t max_depth_;
  bool surrogates_possible_;
  size_t depth_ = 0;
  bool too_deep_ = false;
};

// Valid UTF-8 text holds no encoded surrogate; only an escape "\uD800".."\uDFFF"
// can put one in a parsed string. False when the text has no "\uD" or "\ud"
// outside an escaped backslash, so the strings need not be searched one by one.
bool may_escape_a_surrogate(const std::string& text) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(end - p)))) !=
         nullptr) {
    if (end - p >= 3 && p[1] == 'u' && (p[2] == 'D' || p[2] == 'd')) return true;
    p += 2;  // the escaped character is never the start of another escape
    if (p >= end) break;
  }
  return false;
}

template <unsigned kFlags, typename Stream>
bool parse_stream(rapidjson::Reader& reader, Stream& stream, DepthLimitedBuilder& builder,
                  JsonNumbers numbers) {
  if (numbers == JsonNumbers::kFullPrecision) {
    return !reader.Parse<kFlags | rapidjson::kParseFullPrecisionFlag>(stream, builder).IsError();
  }
  return !reader.Parse<kFlags>(stream, builder).IsError();
}

}  // namespace

void parse_json_text(const std::string& text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth, JsonNumbers numbers, JsonStrings strings) {
  if (const size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    throw PayloadError(field, "invalid UTF-8 or a NUL byte at offset " + std::to_string(bad));
  }
  // Checked above and NUL-free, so the terminated text can go through
  // RapidJSON's SIMD string scan (used only for terminated input that it
  // need not check itself). Iterative: no recursion on hostile input.
  rapidjson::Reader reader;
  DepthLimitedBuilder builder(doc, max_depth, may_escape_a_surrogate(text));
  auto generate = [&](rapidjson::Document&) {
    constexpr unsigned kIterative = rapidjson::kParseIterativeFlag;
    if (strings == JsonStrings::kInOneBuffer) {
      // The terminating NUL comes along: the in-place parse stops at it.
      auto* buffer = static_cast<char*>(doc.GetAllocator().Malloc(text.size() + 1));
      std::memcpy(buffer, text.c_str(), text.size() + 1);
      rapidjson::InsituStringStream stream(buffer);
      return parse_stream<kIterative | rapidjson::kParseInsituFlag>(reader, stream, builder,
                                                                    numbers);
    }
    rapidjson::StringStream stream(text.c_str());
    return parse_stream<kIterative>(reader, stream, builder, numbers);
  };
  doc.Populate(generate);
  if (builder.too_deep()) {
    throw PayloadError(field, "JSON nested deeper than " + std::to_string(max_depth) +
                                  " levels (at offset " + std::to_string(reader.GetErrorOffset()) +
                                  ")");
  }
  if (reader.HasParseError()) {
    throw PayloadError(field, std::string("invalid JSON at offset ") +
                                  std::to_string(reader.GetErrorOffset()) + ": " +
                                  rapidjson::GetParseError_En(reader.GetParseErrorCode()));
  }
}

void parse_json_text(std::string_view text, rapidjson::Document& doc, const std::string& field,
                     size_t max_depth, JsonNumbers numbers) {
  parse_json_text(std::string(text), doc, field, max_depth, numbers);
}

std::string compact_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace jirasync
