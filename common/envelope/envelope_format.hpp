#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"

// The shape every topic value shares: a JSON object with "schema" (the
// version this build writes and reads) and "type", then the fields of the
// type. Readers name the exact field (with its path) in every PayloadError.
namespace jirasync::envelope {

// 2: issue_snapshot carries the issue as a JSON value ("issue"), not as an
// escaped string ("issue_json"), so it is parsed once. Readers take 1 too.
inline constexpr int kSchemaVersion = 2;
inline constexpr int kOldestSchemaVersion = 1;
// The envelope object is one level around the issue, which may itself nest
// kMaxJsonDepth levels.
inline constexpr size_t kMaxEnvelopeDepth = kMaxJsonDepth + 1;
using JsonWriter = jirasync::JsonWriter;

// Opens the object and writes "schema" and "type"; the caller writes the
// fields and calls w.EndObject().
void begin(JsonWriter& w, const char* type);

using jirasync::write_bool;
using jirasync::write_int64;
using jirasync::write_optional_string;
using jirasync::write_string;
using jirasync::write_strings;

// Parses `json` (bounded nesting, UTF-8 checked, numbers exact), checks it
// is an object of a schema this build reads with a string "type", and
// returns that type.
std::string parse(const std::string& json, rapidjson::Document& doc);
// The same checks on a document already parsed.
std::string check_head(const rapidjson::Document& doc);
// The schema of a document that passed check_head.
int schema_of(const rapidjson::Document& doc);

// For decode_X: `type` must be `expected`; known-but-other and unknown types
// get different messages.
void expect_type(const std::string& type, std::string_view expected);
[[noreturn]] void unknown_type(const std::string& type);

// Reads the members of one JSON object; `path` prefixes the field names in
// errors ("" at the top, "issue", "conflicts[2]").
class FieldReader {
 public:
  FieldReader(const rapidjson::Value& object, std::string path);

  std::string string(const char* name) const;
  int64_t int64(const char* name) const;
  int int32(const char* name) const;
  bool boolean(const char* name) const;
  std::vector<std::string> strings(const char* name) const;
  // Absent or null -> nullopt.
  std::optional<std::string> optional_string(const char* name) const;
  std::optional<int64_t> optional_int64(const char* name) const;
  const rapidjson::Value* optional(const char* name) const;
  const rapidjson::Value& required(const char* name) const;
  const rapidjson::Value& array(const char* name) const;
  const rapidjson::Value& object(const char* name) const;

  // "issue.summary" for name "summary".
  std::string field(const char* name) const;
  const std::string& path() const { return path_; }

 private:
  const rapidjson::Value& object_;
  std::string path_;
};

// What a JSON value is, for "expected a string, got a number".
const char* kind_of(const rapidjson::Value& value);

// A bad value shown in an error, cut short.
std::string quoted(std::string_view value);

// Name tables for the enums carried as strings.
template <typename Enum, size_t N>
std::optional<Enum> enum_from_name(const std::pair<Enum, const char*> (&table)[N],
                                   std::string_view name) {
  for (const auto& [value, text] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
const char* enum_name(const std::pair<Enum, const char*> (&table)[N], Enum value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "?";
}

template <typename Enum, size_t N>
std::string enum_names(const std::pair<Enum, const char*> (&table)[N]) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += "|";
    out += entry.second;
  }
  return out;
}

// Reads `field` as one of the names in `table`; PayloadError naming the field otherwise.
template <typename Enum, size_t N>
Enum read_enum(const FieldReader& reader, const char* name,
               const std::pair<Enum, const char*> (&table)[N]) {
  const std::string text = reader.string(name);
  if (auto value = enum_from_name(table, text)) return *value;
  throw PayloadError(reader.field(name),
                     "unknown value " + quoted(text) + " (" + enum_names(table) + ")");
}

}  // namespace jirasync::envelope
