#pragma once

#include <optional>

#include "common/http/http_route.hpp"
#include "services/api/api_route.hpp"

namespace jirasync {

// Decides whether a request may run a route that needs `needed`: fills
// `caller` and returns nothing, or returns the refusal to send (401 without a
// valid key, 403 for a key of too small a scope, 429 over the key's rate).
class AccessCheck {
 public:
  virtual ~AccessCheck() = default;
  virtual std::optional<RouteResponse> admit(const RouteRequest& request, ApiScope needed,
                                             ApiCaller& caller) = 0;
};

}  // namespace jirasync
