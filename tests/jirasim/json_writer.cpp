#include "tests/jirasim/json_writer.hpp"

namespace jirasim {

std::string error_body(const std::string& message) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("errorMessages");
  w.StartArray();
  write_string(w, message);
  w.EndArray();
  w.Key("errors");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

}  // namespace jirasim
