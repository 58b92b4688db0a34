#pragma once

#include <string>
#include <vector>

#include "services/api/api_route.hpp"

namespace jirasync {

// One family's part of the OpenAPI document: services/api/openapi/<family>.json,
// {"paths": {...}, "components": {"schemas": {...}}}, compiled into the binary.
struct OpenApiFragment {
  std::string family;
  std::string json;
};

// Every fragment under services/api/openapi/, by family (generated at build time).
const std::vector<OpenApiFragment>& openapi_fragments();

// The OpenAPI 3.1 document: the fragments' paths and schemas merged under a
// common head that defines the security schemes (bearer, basic: the API
// key), `#/components/schemas/ApiError` and `#/components/responses/ApiError`
// (the error shape of /api/v1), which fragments may reference. Throws
// std::logic_error naming the fragment for invalid JSON, a path+method or a
// schema defined twice.
std::string openapi_document(const std::vector<OpenApiFragment>& fragments);

// GET /api/v1/openapi.json (public), the merged document built once.
std::vector<ApiRoute> openapi_routes();

}  // namespace jirasync
