#include "services/api/api_error.hpp"

#include "common/json/json_writer.hpp"

namespace jirasync {

RouteResponse api_error(int status, const std::string& code, const std::string& message,
                        const std::string& parameter) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  write_string(w, "code", code);
  write_string(w, "message", message);
  if (!parameter.empty()) write_string(w, "parameter", parameter);
  w.EndObject();
  w.EndObject();
  return RouteResponse::json(status, std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace jirasync
