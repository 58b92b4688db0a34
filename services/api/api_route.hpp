#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/http/http_route.hpp"

namespace jirasync {

// What a caller may do. Public routes need no key (the dashboard's page, the
// OpenAPI document); read covers reads and searches; admin adds sync,
// refresh, conflict resolution and local edits.
enum class ApiScope { kPublic, kRead, kAdmin };
const char* to_string(ApiScope scope);

// Who is calling, once the key is checked ("" name for public routes).
struct ApiCaller {
  std::string key_name;
  ApiScope scope = ApiScope::kPublic;
};

// One request as a route handler sees it: the HTTP request, the path's
// `{name}` segments and the query, both percent-decoded.
struct ApiRequest {
  const RouteRequest& http;
  std::map<std::string, std::string> path;        // "{key}" in "/issues/{key}" -> "ABC-1"
  std::multimap<std::string, std::string> query;  // repeated names kept in order
  ApiCaller caller;

  // The first value of query parameter `name`, if present.
  std::optional<std::string> param(const std::string& name) const;
  // Every value of a repeated query parameter, in order.
  std::vector<std::string> params(const std::string& name) const;
};

using ApiHandler = std::function<RouteResponse(const ApiRequest&)>;

// One route of the API: `pattern` is a path with `{name}` segments
// ("/api/v1/issues/{key}"); a `{name...}` last segment takes the rest of the
// path. `summary` is the one line the OpenAPI document shows.
struct ApiRoute {
  std::string method;
  std::string pattern;
  ApiScope scope = ApiScope::kRead;
  std::string summary;
  ApiHandler handler;
};

}  // namespace jirasync
