#include "common/http/http_message.hpp"

#include <strings.h>

namespace jirasync {

std::optional<std::string> HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return std::nullopt;
}

}  // namespace jirasync
