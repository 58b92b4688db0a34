#pragma once

#include <string>

#include "common/http/http_route.hpp"

namespace jirasync {

// The one error shape of /api/v1:
//   {"error": {"code": "bad_parameter", "message": "...", "parameter": "limit"}}
// `code` is stable (clients branch on it): bad_parameter, bad_body,
// unauthenticated, forbidden, not_found, method_not_allowed, conflict,
// too_many_requests, payload_too_large, unavailable, internal. `parameter` is
// left out when empty. The message names what was wrong, never a secret.
RouteResponse api_error(int status, const std::string& code, const std::string& message,
                        const std::string& parameter = "");

}  // namespace jirasync
