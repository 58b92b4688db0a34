#include "services/api/jira_compat/jira_error.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "common/jql/jql_error.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {

RouteResponse jira_error(int status, const std::vector<std::string>& messages,
                         const std::map<std::string, std::string>& errors) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_strings(w, "errorMessages", messages);
  w.Key("errors");
  w.StartObject();
  for (const auto& [field, message] : errors) write_string(w, field.c_str(), message);
  w.EndObject();
  w.EndObject();
  return RouteResponse::json(status, std::string(buffer.GetString(), buffer.GetSize()));
}

ApiHandler jira_handler(ApiHandler handler) {
  return [handler = std::move(handler)](const ApiRequest& request) -> RouteResponse {
    try {
      return handler(request);
    } catch (const JqlError& e) {
      return jira_error(400, {e.what()});
    } catch (const std::invalid_argument& e) {
      return jira_error(400, {e.what()});
    } catch (const PayloadError& e) {
      return jira_error(400, {std::string("Invalid request payload: ") + e.what()});
    } catch (const std::exception& e) {
      spdlog::error("api: {} {}: {}", request.http.method, request.http.path, e.what());
      return jira_error(500, {"Internal server error; the server log has the details."});
    }
  };
}

}  // namespace jirasync
