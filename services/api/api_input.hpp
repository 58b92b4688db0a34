#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <rapidjson/document.h>

#include "common/store/ticket_records.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// What the cache routes read from a request, checked: each bad value throws
// BadParameter naming the query parameter or body member, which
// `answering_errors` turns into 400 bad_parameter with that `parameter`.
class BadParameter : public std::invalid_argument {
 public:
  BadParameter(std::string parameter, const std::string& message)
      : std::invalid_argument(parameter + ": " + message), parameter_(std::move(parameter)) {}
  const std::string& parameter() const { return parameter_; }

 private:
  std::string parameter_;
};

// A resource the request names that the cache does not hold (404 not_found).
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The handler, with BadParameter answered 400 bad_parameter (naming the
// parameter), a body that is not JSON 400 bad_body, and NotFound 404.
ApiHandler answering_errors(ApiHandler handler);

// An integer query parameter in [min, max]; `fallback` when absent.
int int_param(const ApiRequest& request, const std::string& name, int fallback, int min, int max);
// A duration query parameter ("30s", "1h"), at most `max_ms`; nullopt when absent.
std::optional<int64_t> duration_param(const ApiRequest& request, const std::string& name,
                                      int64_t max_ms);
// "true" or "false"; `fallback` when absent.
bool bool_param(const ApiRequest& request, const std::string& name, bool fallback);

// The request body as a JSON object ("" reads as {}); 400 bad_body otherwise.
rapidjson::Document json_body(const ApiRequest& request);
// A string member; nullopt when absent, BadParameter when not a string.
std::optional<std::string> string_member(const rapidjson::Value& body, const char* name);
// The same, required.
std::string required_string(const rapidjson::Value& body, const char* name);

// The {type}/{id} path segments as a link target, checked (BadParameter
// naming type or id).
LinkTarget link_target_param(const ApiRequest& request);

}  // namespace jirasync
