#include "common/notify/json_post.hpp"

#include "common/http/http_connection.hpp"
#include "common/notify/notification_sink.hpp"

namespace jirasync {

void post_json(const std::string& sink, const std::string& url, const std::string& body,
               const std::map<std::string, std::string>& headers, int timeout_ms) {
  HttpsEndpoint endpoint;
  try {
    endpoint = HttpsEndpoint::parse(url);
  } catch (const std::invalid_argument&) {
    throw DeliveryError("sink " + sink + ": the URL is not an https (or loopback http) URL");
  }
  HttpConnectionOptions options;
  options.timeout_ms = timeout_ms;
  options.max_body_bytes = 64 * 1024;
  HttpRequest request;
  request.method = "POST";
  // The URL's path is the endpoint's prefix; the query (if any) stays on it.
  request.target = endpoint.path_prefix.empty() ? "/" : "";
  endpoint.path_prefix.clear();
  {
    const size_t scheme = url.find("://");
    const size_t path = url.find('/', scheme + 3);
    if (path != std::string::npos) request.target = url.substr(path);
  }
  request.headers = headers;
  request.headers["Content-Type"] = "application/json";
  request.body = body;
  HttpResponse response;
  try {
    HttpConnection connection(endpoint, options);
    response = connection.send(request);
  } catch (const HttpTransportError& e) {
    throw DeliveryError("sink " + sink + ": " + e.what());
  }
  if (response.status < 200 || response.status > 299) {
    throw DeliveryError("sink " + sink + ": the receiver answered HTTP " +
                        std::to_string(response.status));
  }
}

}  // namespace jirasync
