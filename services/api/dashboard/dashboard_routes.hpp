#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/api/api_route.hpp"
#include "services/api/dashboard/dashboard_assets.hpp"

namespace jirasync {

// The dashboard page, public (it holds no data; the page asks /api/v1 with
// the key the user types): GET / answers index.html and GET /assets/{path...}
// the other files, with content type, ETag (304 on If-None-Match) and
// Cache-Control: no-cache; an unknown asset is 404.
std::vector<ApiRoute> dashboard_routes();

// The asset at `path` ("app.js", "views/search.js"), if there is one.
std::optional<DashboardAsset> find_dashboard_asset(std::string_view path);

// The Content-Type for a file name by its extension.
std::string dashboard_content_type(std::string_view path);

}  // namespace jirasync
