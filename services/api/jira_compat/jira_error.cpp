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

std::string jira_jql_message(const JqlError& error) {
  std::string message = error.what();
  // The compiler advises the CLI's --source live; a Jira client asks Jira.
  for (const std::string advice :
       {"run this query with --source live.", "run the query with --source live."}) {
    const std::size_t at = message.find(advice);
    if (at != std::string::npos) {
      message.replace(at, advice.size(), "send this query to Jira itself.");
    }
  }
  return message;
}

ApiHandler jira_handler(ApiHandler handler) {
  return [handler = std::move(handler)](const ApiRequest& request) -> RouteResponse {
    try {
      return handler(request);
    } catch (const JqlError& e) {
      return jira_error(400, {jira_jql_message(e)});
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
