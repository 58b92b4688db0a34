#include "common/json/json_writer.hpp"

namespace jirasync {

void write_string(JsonWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_int64(JsonWriter& w, const char* name, int64_t value) {
  w.Key(name);
  w.Int64(value);
}

void write_bool(JsonWriter& w, const char* name, bool value) {
  w.Key(name);
  w.Bool(value);
}

void write_strings(JsonWriter& w, const char* name, const std::vector<std::string>& values) {
  w.Key(name);
  w.StartArray();
  for (const std::string& v : values)
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

void write_optional_string(JsonWriter& w, const char* name, const std::optional<std::string>& v) {
  if (v) {
    write_string(w, name, *v);
  } else {
    w.Key(name);
    w.Null();
  }
}

void write_optional_int64(JsonWriter& w, const char* name, const std::optional<int64_t>& v) {
  w.Key(name);
  if (v) {
    w.Int64(*v);
  } else {
    w.Null();
  }
}

}  // namespace jirasync
