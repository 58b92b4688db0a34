#include "common/store/json_columns.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

// Stored text is parsed as safely as any other: bounded nesting, iterative.
bool parse_stored(const std::string& text, rapidjson::Document& doc, const std::string& column,
                  size_t max_depth = kMaxJsonDepth) {
  try {
    parse_json_text(text, doc, column, max_depth);
    return true;
  } catch (const PayloadError&) {
    return false;
  }
}

// A column's JSON is small (a few labels, a few custom fields): parsed in a
// buffer on the stack. rapidjson's default first chunk is 64 kB of heap,
// and freeing that much makes glibc consolidate its free lists: a page of
// the Jira-compatible API parses five columns of 250 rows.
constexpr size_t kColumnParseBuffer = 4096;

}  // namespace

std::string json_quote(const std::string& s) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buf.GetString(), buf.GetSize());
}

std::string string_list_to_json(const std::vector<std::string>& values) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (const std::string& v : values)
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

std::vector<std::string> string_list_from_json(const std::string& json, const std::string& column) {
  if (json.empty() || json == "[]") return {};
  char buffer[kColumnParseBuffer];
  rapidjson::MemoryPoolAllocator<> pool(buffer, sizeof buffer);
  rapidjson::Document doc(&pool);
  if (!parse_stored(json, doc, column) || !doc.IsArray()) {
    throw std::runtime_error(column + ": stored value is not a JSON array");
  }
  std::vector<std::string> out;
  for (const auto& v : doc.GetArray()) {
    if (!v.IsString()) throw std::runtime_error(column + ": stored array holds a non-string");
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

std::string raw_object_to_json(const std::map<std::string, std::string>& values) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  for (const auto& [name, raw] : values) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    rapidjson::Document check;
    if (!parse_stored(raw, check, name)) {
      w.String(raw.data(), static_cast<rapidjson::SizeType>(raw.size()));
    } else {
      check.Accept(w);
    }
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::map<std::string, std::string> raw_object_from_json(const std::string& json,
                                                        const std::string& column) {
  if (json.empty() || json == "{}") return {};
  char buffer[kColumnParseBuffer];
  rapidjson::MemoryPoolAllocator<> pool(buffer, sizeof buffer);
  rapidjson::Document doc(&pool);
  // One level around values that may each nest kMaxJsonDepth.
  if (!parse_stored(json, doc, column, kMaxJsonDepth + 1) || !doc.IsObject()) {
    throw std::runtime_error(column + ": stored value is not a JSON object");
  }
  std::map<std::string, std::string> out;
  for (const auto& m : doc.GetObject()) {
    out.emplace(std::string(m.name.GetString(), m.name.GetStringLength()), compact_json(m.value));
  }
  return out;
}

}  // namespace jirasync
