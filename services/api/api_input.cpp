#include "services/api/api_input.hpp"

#include <charconv>

#include "common/json/json_document.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/time/duration_text.hpp"
#include "services/api/api_error.hpp"

namespace jirasync {
namespace {

// The body is not JSON (or not an object): the message never echoes it.
class BadBody : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace

ApiHandler answering_errors(ApiHandler handler) {
  return [handler = std::move(handler)](const ApiRequest& request) -> RouteResponse {
    try {
      return handler(request);
    } catch (const BadParameter& e) {
      return api_error(400, "bad_parameter", e.what(), e.parameter());
    } catch (const BadBody& e) {
      return api_error(400, "bad_body", e.what());
    } catch (const NotFound& e) {
      return api_error(404, "not_found", e.what());
    }
  };
}

int int_param(const ApiRequest& request, const std::string& name, int fallback, int min, int max) {
  const auto text = request.param(name);
  if (!text) return fallback;
  int value = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (text->empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    throw BadParameter(
        name, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::optional<int64_t> duration_param(const ApiRequest& request, const std::string& name,
                                      int64_t max_ms) {
  const auto text = request.param(name);
  if (!text) return std::nullopt;
  int64_t ms = 0;
  try {
    ms = parse_duration_ms(*text);
  } catch (const std::invalid_argument&) {
    throw BadParameter(name, "expected a duration such as 30s, 15m or 1h");
  }
  if (ms > max_ms) throw BadParameter(name, "at most " + format_duration_text(max_ms));
  return ms;
}

bool bool_param(const ApiRequest& request, const std::string& name, bool fallback) {
  const auto text = request.param(name);
  if (!text) return fallback;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw BadParameter(name, "expected true or false");
}

rapidjson::Document json_body(const ApiRequest& request) {
  rapidjson::Document doc;
  if (request.http.body.empty()) {
    doc.SetObject();
    return doc;
  }
  try {
    parse_json_text(request.http.body, doc, "body");
  } catch (const std::exception& e) {
    throw BadBody(std::string("the body is not JSON: ") + e.what());
  }
  if (!doc.IsObject()) throw BadBody("the body must be a JSON object");
  return doc;
}

std::optional<std::string> string_member(const rapidjson::Value& body, const char* name) {
  auto it = body.FindMember(name);
  if (it == body.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) throw BadParameter(name, "expected a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string required_string(const rapidjson::Value& body, const char* name) {
  auto value = string_member(body, name);
  if (!value) throw BadParameter(name, "required");
  return *value;
}

LinkTarget link_target_param(const ApiRequest& request) {
  const LinkTarget target{request.path.at("type"), request.path.at("id")};
  try {
    validate_link_target(target);
  } catch (const std::invalid_argument& e) {
    const std::string message = e.what();
    throw BadParameter(message.find("': ID") != std::string::npos ? "id" : "type", message);
  }
  return target;
}

}  // namespace jirasync
