#include "services/api/cache_routes.hpp"

#include "services/api/change_routes.hpp"
#include "services/api/issue_routes.hpp"
#include "services/api/jql_routes.hpp"
#include "services/api/local_routes.hpp"

namespace jirasync {

std::vector<ApiRoute> cache_routes(ApiContext& ctx) {
  std::vector<ApiRoute> all;
  for (auto family : {issue_routes(ctx), change_routes(ctx), jql_routes(ctx), local_routes(ctx)})
    for (auto& route : family) all.push_back(std::move(route));
  return all;
}

}  // namespace jirasync
