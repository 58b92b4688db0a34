#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/http/http_route.hpp"
#include "services/api/access_check.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

class ServiceHttpServer;

// Finds the route of a request by method and path pattern, checks access and
// runs the handler. Unknown paths get 404 and known paths with another method
// 405 (with Allow), both in the API's error shape; a handler that throws
// std::invalid_argument answers 400 bad_parameter, anything else 500 with no
// detail (the log has it).
class ApiRouter {
 public:
  explicit ApiRouter(AccessCheck& access);

  // Throws std::logic_error for a malformed pattern or a method and pattern
  // added twice.
  void add(ApiRoute route);
  void add(std::vector<ApiRoute> routes);

  RouteResponse dispatch(const RouteRequest& request) const;

  // Every route, in the order added (the OpenAPI document is checked against it).
  const std::vector<ApiRoute>& routes() const { return routes_; }

  // Serves every route on `server`: one prefix route per method and first
  // path segment, all dispatching here. The router must outlive the server.
  void mount(ServiceHttpServer& server) const;

 private:
  AccessCheck& access_;
  std::vector<ApiRoute> routes_;
  // Each route's pattern split into segments once, not per request.
  std::vector<std::vector<std::string>> patterns_;
};

// The query string split into decoded name/value pairs ('+' is a space);
// std::invalid_argument naming the parameter for bad percent-encoding.
std::multimap<std::string, std::string> parse_query(const std::string& query);

}  // namespace jirasync
