// GET /rest/api/{2,3}/issue/{idOrKey} (old keys of moved issues resolve),
// POST /rest/api/3/issue/bulkfetch, and every write under /issue answering
// 405: the cache is read-only, Jira is where issues change.
#include <set>
#include <stdexcept>

#include "common/json/json_writer.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"
#include "services/api/jira_compat/jira_error.hpp"
#include "services/api/jira_compat/jira_issue_loader.hpp"
#include "services/api/jira_compat/jira_request.hpp"

namespace jirasync {
namespace {

constexpr std::size_t kMaxBulk = 100;

RouteResponse get_issue(ApiContext& ctx, const ApiRequest& request, int api_version) {
  const std::string& id_or_key = request.path.at("idOrKey");
  JiraIssueLoader loader(ctx.tickets);
  const JiraIssue* issue = loader.find(id_or_key);
  if (issue == nullptr) {
    return jira_error(404, {"Issue does not exist or you do not have permission to see it."});
  }
  const JiraFieldSelection fields = JiraFieldSelection::parse(request.params("fields"), "*all");
  const JiraRenderContext render = jira_render_context(ctx, request, api_version, loader);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_jira_issue(w, *issue, fields, render);
  return RouteResponse::json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

RouteResponse bulkfetch(ApiContext& ctx, const ApiRequest& request) {
  rapidjson::Document body;
  jira_body(request.http, body);
  const auto refs = jira_body_strings(body, "issueIdsOrKeys");
  if (!refs || refs->empty() || refs->size() > kMaxBulk) {
    return jira_error(400, {"'issueIdsOrKeys' must list between 1 and 100 issue ids or keys."},
                      {{"issueIdsOrKeys", "between 1 and 100 issue ids or keys"}});
  }
  const JiraFieldSelection fields = JiraFieldSelection::parse(
      jira_body_strings(body, "fields").value_or(std::vector<std::string>{}), "*navigable");
  JiraIssueLoader loader(ctx.tickets);
  loader.load(*refs, fields.includes("parent") || fields.includes("subtasks") ||
                         fields.includes("issuelinks"));
  const JiraRenderContext render = jira_render_context(ctx, request, 3, loader);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("issues");
  w.StartArray();
  std::set<std::string> written;  // an issue asked for by id and by key comes once
  for (const auto& ref : *refs) {
    // Unknown issues are left out of both lists, as BulkIssueResults documents.
    const JiraIssue* issue = loader.find(ref);
    if (issue == nullptr || !written.insert(issue->id).second) continue;
    write_jira_issue(w, *issue, fields, render);
  }
  w.EndArray();
  w.Key("issueErrors");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

RouteResponse read_only(const ApiRequest& request) {
  return jira_error(405, {request.http.method + " " + request.http.path +
                          ": this is Jirasync's read-only cache of Jira; it never changes an "
                          "issue. Send writes to Jira itself."});
}

}  // namespace

std::vector<ApiRoute> jira_issue_routes(ApiContext& ctx) {
  std::vector<ApiRoute> routes;
  for (int version : {2, 3}) {
    const std::string base = "/rest/api/" + std::to_string(version) + "/issue";
    routes.push_back({"GET", base + "/{idOrKey}", ApiScope::kRead,
                      "Jira: one cached issue by id, key or old key",
                      jira_handler([&ctx, version](const ApiRequest& r) {
                        return get_issue(ctx, r, version);
                      })});
    const std::vector<std::pair<std::string, std::vector<std::string>>> writes = {
        {base, {"POST"}},
        {base + "/{idOrKey}", {"POST", "PUT", "DELETE"}},
        {base + "/{idOrKey}/{part}", {"POST", "PUT", "DELETE"}},
        {base + "/{idOrKey}/{part}/{partId}", {"POST", "PUT", "DELETE"}},
    };
    for (const auto& [pattern, methods] : writes) {
      for (const auto& method : methods) {
        routes.push_back({method, pattern, ApiScope::kRead,
                          "Jira: writes are refused (405): the cache is read-only", read_only});
      }
    }
  }
  routes.push_back({"POST", "/rest/api/3/issue/bulkfetch", ApiScope::kRead,
                    "Jira: up to 100 cached issues by id or key",
                    jira_handler([&ctx](const ApiRequest& r) { return bulkfetch(ctx, r); })});
  return routes;
}

}  // namespace jirasync
