#pragma once

#include <functional>
#include <map>
#include <string>

namespace jirasync {

// What a route handler on the ServiceHttpServer sees.
struct RouteRequest {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path and query as received
  std::string path;                            // target without the query
  std::string query;                           // after '?', not decoded; "" when absent
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// What a route handler answers.
struct RouteResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers, e.g. Location
  // When set, the body is sent in pieces after `body` (Server-Sent Events, MCP
  // streams): called again and again off the listener's thread, each call
  // appends the next piece to `out` (it may block a while waiting for one)
  // and returns false when the stream is over. Servers that cannot stream
  // answer 501 for such a response.
  std::function<bool(std::string& out)> stream;

  static RouteResponse json(int status, std::string body) {
    return {status, "application/json", std::move(body), {}, {}};
  }
  static RouteResponse text(int status, std::string body) {
    return {status, "text/plain; charset=utf-8", std::move(body), {}, {}};
  }
};

using RouteHandler = std::function<RouteResponse(const RouteRequest&)>;

}  // namespace jirasync
