#include "services/api/api_routes.hpp"

#include "services/api/cache_routes.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"
#include "services/api/mcp/mcp_routes.hpp"
#include "services/api/dashboard/dashboard_routes.hpp"
#include "services/api/openapi_document.hpp"
#include "services/api/pipeline_routes.hpp"

namespace jirasync {

std::vector<ApiRoute> all_routes(ApiContext& ctx) {
  std::vector<ApiRoute> routes;
  auto add = [&routes](std::vector<ApiRoute> family) {
    for (auto& route : family) routes.push_back(std::move(route));
  };
  add(openapi_routes());
  add(pipeline_routes(ctx));
  add(jira_compat_routes(ctx));
  add(mcp_routes(ctx));
  add(cache_routes(ctx));
  add(dashboard_routes());
  return routes;
}

}  // namespace jirasync
