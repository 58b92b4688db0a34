#include "services/api/jira_compat/jira_compat_routes.hpp"

namespace jirasync {

std::vector<ApiRoute> jira_compat_routes(ApiContext& ctx) {
  std::vector<ApiRoute> routes;
  for (auto part :
       {jira_search_routes, jira_issue_routes, jira_site_routes, jira_jql_parse_routes}) {
    for (auto& route : part(ctx)) routes.push_back(std::move(route));
  }
  return routes;
}

}  // namespace jirasync
