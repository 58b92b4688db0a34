#include "tests/world/readiness_probe.hpp"

#include <exception>

#include "common/http/http_connection.hpp"

namespace jirasync::world {

bool answers_ok(const std::string& address, const std::string& path) {
  try {
    HttpConnectionOptions options;
    options.timeout_ms = 1000;
    HttpConnection connection(HttpsEndpoint::parse("http://" + address), options);
    HttpRequest request;
    request.method = "GET";
    request.target = path;
    const auto response = connection.send(request);
    return response.status >= 200 && response.status <= 299;
  } catch (const std::exception&) {
    return false;  // not listening yet, or went away: the caller polls again
  }
}

}  // namespace jirasync::world
