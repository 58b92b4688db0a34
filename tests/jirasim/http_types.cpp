#include "tests/jirasim/http_types.hpp"

namespace jirasim {

HttpResponse make_response(const HttpRequest& req, int status, std::string body,
                           const char* content_type) {
  HttpResponse res{static_cast<http::status>(status), req.version()};
  res.set(http::field::server, "jirasim");
  res.set(http::field::content_type, content_type);
  res.set("X-AREQUESTID", "jirasim");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace jirasim
