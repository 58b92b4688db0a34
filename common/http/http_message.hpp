#pragma once

#include <map>
#include <optional>
#include <string>

namespace jirasync {

// A request as the client sends it; `target` is the path and query below the
// endpoint's prefix, e.g. "/rest/api/3/myself".
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  std::map<std::string, std::string> headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // Case-insensitive lookup; nullopt when absent.
  std::optional<std::string> header(const std::string& name) const;
};

}  // namespace jirasync
