#include "services/api/jql_routes.hpp"

#include "common/jql/parser.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_input.hpp"
#include "services/api/issue_query.hpp"
#include "services/api/json/cache_json.hpp"
#include "services/api/json/template_json.hpp"

namespace jirasync {
namespace {

RouteResponse list_templates(ApiContext& ctx) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("templates");
  w.StartArray();
  for (const QueryTemplate& t : ctx.templates.all()) write_query_template(w, t);
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

// A query that does not run on the cache is an answer here, not a bad request.
RouteResponse validate(ApiContext& ctx, const ApiRequest& request) {
  const auto body = json_body(request);
  const std::string jql = required_string(body, "jql");
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  try {
    const JqlQuery query = parse_jql(jql);
    (void)compile_jql(query, Backend::kSqlite, jql_context_of(ctx));
    write_bool(w, "valid", true);
    w.Key("order_by");
    w.StartArray();
    for (const JqlSortKey& k : query.order_by) {
      w.StartObject();
      write_string(w, "field", k.field);
      write_optional_string(
          w, "direction",
          k.ascending ? std::optional<std::string>(*k.ascending ? "asc" : "desc") : std::nullopt);
      w.EndObject();
    }
    w.EndArray();
  } catch (const JqlError& e) {
    write_bool(w, "valid", false);
    w.Key("error");
    w.StartObject();
    write_string(w, "message", e.what());
    write_int64(w, "line", e.line());
    write_int64(w, "column", e.character());
    write_string(w, "kind",
                 e.kind() == JqlError::Kind::kSyntax    ? "syntax"
                 : e.kind() == JqlError::Kind::kInvalid ? "invalid"
                                                        : "unsupported");
    w.EndObject();
  }
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

}  // namespace

std::vector<ApiRoute> jql_routes(ApiContext& ctx) {
  return {
      {"GET", "/api/v1/templates", ApiScope::kRead,
       "The query templates (built-in and the config's) with their parameters",
       answering_errors([&ctx](const ApiRequest&) { return list_templates(ctx); })},
      {"POST", "/api/v1/jql/validate", ApiScope::kRead,
       "Checks that a JQL query runs on the cache; Jira-style error with line and column",
       answering_errors([&ctx](const ApiRequest& r) { return validate(ctx, r); })},
  };
}

}  // namespace jirasync
