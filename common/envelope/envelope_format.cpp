#include "common/envelope/envelope_format.hpp"

#include <limits>

namespace jirasync::envelope {
namespace {

constexpr std::string_view kKnownTypes[] = {"sync_job", "issue_snapshot", "sweep_chunk",
                                            "sweep_end", "decision"};

}  // namespace

void begin(JsonWriter& w, const char* type) {
  w.StartObject();
  w.Key("schema");
  w.Int(kSchemaVersion);
  w.Key("type");
  w.String(type);
}

std::string parse(const std::string& json, rapidjson::Document& doc) {
  parse_json_text(json, doc, "json", kMaxEnvelopeDepth, JsonNumbers::kFullPrecision);
  return check_head(doc);
}

int schema_of(const rapidjson::Document& doc) {
  return doc["schema"].GetInt();
}

std::string check_head(const rapidjson::Document& doc) {
  if (!doc.IsObject())
    throw PayloadError("json", std::string("expected an object, got ") + kind_of(doc));
  const auto schema = doc.FindMember("schema");
  if (schema == doc.MemberEnd()) throw PayloadError("schema", "missing");
  if (!schema->value.IsInt()) {
    throw PayloadError("schema", std::string("expected an integer, got ") + kind_of(schema->value));
  }
  if (schema->value.GetInt() < kOldestSchemaVersion || schema->value.GetInt() > kSchemaVersion) {
    throw PayloadError("schema", "unsupported version " + std::to_string(schema->value.GetInt()) +
                                     " (this build reads " + std::to_string(kOldestSchemaVersion) +
                                     " to " + std::to_string(kSchemaVersion) + ")");
  }
  const auto type = doc.FindMember("type");
  if (type == doc.MemberEnd()) throw PayloadError("type", "missing");
  if (!type->value.IsString()) {
    throw PayloadError("type", std::string("expected a string, got ") + kind_of(type->value));
  }
  return std::string(type->value.GetString(), type->value.GetStringLength());
}

void expect_type(const std::string& type, std::string_view expected) {
  if (type == expected) return;
  for (std::string_view known : kKnownTypes) {
    if (type == known) {
      throw PayloadError("type", "expected " + std::string(expected) + ", got " + type);
    }
  }
  unknown_type(type);
}

void unknown_type(const std::string& type) {
  throw PayloadError("type", "unknown type " + quoted(type));
}

const char* kind_of(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "?";
}

std::string quoted(std::string_view value) {
  constexpr size_t kMax = 64;
  // Appended step by step: GCC 12 at -O3 reports a false -Wrestrict on "x" + string.
  std::string out = "'";
  out.append(value.substr(0, kMax));
  out.append(value.size() > kMax ? "...'" : "'");
  return out;
}

FieldReader::FieldReader(const rapidjson::Value& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.IsObject()) {
    throw PayloadError(path_.empty() ? "json" : path_,
                       std::string("expected an object, got ") + kind_of(object_));
  }
}

std::string FieldReader::field(const char* name) const {
  return path_.empty() ? std::string(name) : path_ + "." + name;
}

const rapidjson::Value* FieldReader::optional(const char* name) const {
  const auto it = object_.FindMember(name);
  if (it == object_.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

const rapidjson::Value& FieldReader::required(const char* name) const {
  const auto it = object_.FindMember(name);
  if (it == object_.MemberEnd()) throw PayloadError(field(name), "missing");
  return it->value;
}

std::string FieldReader::string(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsString())
    throw PayloadError(field(name), std::string("expected a string, got ") + kind_of(v));
  return std::string(v.GetString(), v.GetStringLength());
}

int64_t FieldReader::int64(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsInt64()) {
    throw PayloadError(field(name), std::string("expected a 64-bit integer, got ") + kind_of(v));
  }
  return v.GetInt64();
}

int FieldReader::int32(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsInt())
    throw PayloadError(field(name), std::string("expected an integer, got ") + kind_of(v));
  return v.GetInt();
}

bool FieldReader::boolean(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsBool())
    throw PayloadError(field(name), std::string("expected a boolean, got ") + kind_of(v));
  return v.GetBool();
}

const rapidjson::Value& FieldReader::array(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsArray())
    throw PayloadError(field(name), std::string("expected an array, got ") + kind_of(v));
  return v;
}

const rapidjson::Value& FieldReader::object(const char* name) const {
  const rapidjson::Value& v = required(name);
  if (!v.IsObject())
    throw PayloadError(field(name), std::string("expected an object, got ") + kind_of(v));
  return v;
}

std::vector<std::string> FieldReader::strings(const char* name) const {
  const rapidjson::Value& list = array(name);
  std::vector<std::string> out;
  out.reserve(list.Size());
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    if (!list[i].IsString()) {
      throw PayloadError(field(name) + "[" + std::to_string(i) + "]",
                         std::string("expected a string, got ") + kind_of(list[i]));
    }
    out.emplace_back(list[i].GetString(), list[i].GetStringLength());
  }
  return out;
}

std::optional<std::string> FieldReader::optional_string(const char* name) const {
  const rapidjson::Value* v = optional(name);
  if (!v) return std::nullopt;
  if (!v->IsString()) {
    throw PayloadError(field(name), std::string("expected a string or null, got ") + kind_of(*v));
  }
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<int64_t> FieldReader::optional_int64(const char* name) const {
  const rapidjson::Value* v = optional(name);
  if (!v) return std::nullopt;
  if (!v->IsInt64()) {
    throw PayloadError(field(name),
                       std::string("expected a 64-bit integer or null, got ") + kind_of(*v));
  }
  return v->GetInt64();
}

}  // namespace jirasync::envelope
