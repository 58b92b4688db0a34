// What Jira clients ask of the site before anything else: GET
// /rest/api/{2,3}/myself, /rest/api/{2,3}/serverInfo and /rest/api/{2,3}/field
// (python-jira reads serverInfo on connecting and field to map names to ids).
#include <algorithm>
#include <map>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/json/json_writer.hpp"
#include "common/store/issue_search.hpp"
#include "common/time/jira_time.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"
#include "services/api/jira_compat/jira_error.hpp"
#include "services/api/jira_compat/jira_fields.hpp"
#include "services/api/jira_compat/jira_request.hpp"

namespace jirasync {
namespace {

std::string done(rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The caller is an API key, not a Jira user: it is shown as the account the
// cache is read for (currentUser() in JQL means that account), named by the key.
RouteResponse myself(ApiContext& ctx, const ApiRequest& request) {
  const std::string base = jira_base_url(request.http);
  const std::string& account = ctx.config.jira.account_id;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "self", base + "/rest/api/3/user?accountId=" + account);
  write_string(w, "accountId", account);
  write_string(w, "accountType", "atlassian");
  if (!ctx.config.jira.email.empty()) write_string(w, "emailAddress", ctx.config.jira.email);
  write_string(w, "displayName",
               request.caller.key_name.empty() ? std::string("Jirasync")
                                               : "Jirasync key " + request.caller.key_name);
  write_bool(w, "active", true);
  write_string(w, "timeZone", ctx.config.jira.account_time_zone);
  write_string(w, "locale", "en_US");
  w.EndObject();
  return RouteResponse::json(200, done(buffer));
}

RouteResponse server_info(ApiContext& ctx, const ApiRequest& request) {
  const std::string base = jira_base_url(request.http);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "baseUrl", base);
  write_string(w, "displayUrl", base);
  // A Cloud version number: clients pick the Cloud code paths from it and
  // from deploymentType.
  write_string(w, "version", "1001.0.0-SNAPSHOT");
  w.Key("versionNumbers");
  w.StartArray();
  w.Int(1001);
  w.Int(0);
  w.Int(0);
  w.EndArray();
  write_string(w, "deploymentType", "Cloud");
  write_int64(w, "buildNumber", 100000);
  write_string(w, "buildDate", "2025-01-01T00:00:00.000+0000");
  write_string(w, "serverTime",
               format_jira_time(ctx.clock.now_ms(), ctx.config.jira.account_time_zone));
  write_string(w, "scmInfo", "jirasync");
  write_string(w, "serverTitle", "Jirasync cache");
  write_string(w, "serverTimeZone", ctx.config.jira.account_time_zone);
  w.EndObject();
  return RouteResponse::json(200, done(buffer));
}

// The system fields the cache serves, named as the stored field list names
// them (a site's own language), then the stored list's custom fields; without
// a stored list, the system fields alone. System fields of the stored list
// the cache does not keep are left out.
RouteResponse field_list(ApiContext& ctx) {
  const std::vector<CatalogField> stored = ctx.search.stored_fields();
  std::map<std::string, std::string> stored_names;
  for (const auto& f : stored) {
    if (!f.custom) stored_names[f.id] = f.name;
  }
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const auto& f : jira_fields()) {
    const auto named = stored_names.find(f.id);
    w.StartObject();
    write_string(w, "id", f.id);
    write_string(w, "key", f.id);
    write_string(w, "name", named == stored_names.end() ? std::string(f.name) : named->second);
    write_bool(w, "custom", false);
    write_bool(w, "orderable", f.orderable);
    write_bool(w, "navigable", f.navigable);
    write_bool(w, "searchable", true);
    w.Key("clauseNames");
    w.StartArray();
    w.String(f.id);
    w.EndArray();
    w.Key("schema");
    w.StartObject();
    write_string(w, "type", f.schema_type);
    if (*f.items != '\0') write_string(w, "items", f.items);
    write_string(w, "system", f.id);
    w.EndObject();
    w.EndObject();
  }
  for (const auto& f : stored) {
    if (!f.custom) continue;
    // The cache keeps each custom field's JSON as Jira sent it, and JQL here
    // searches and orders it by cf[N] and by name; its type is not stored.
    const auto underscore = f.id.rfind('_');
    const std::string number = underscore == std::string::npos ? "" : f.id.substr(underscore + 1);
    const bool numbered =
        !number.empty() && number.size() <= 18 &&
        std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
    w.StartObject();
    write_string(w, "id", f.id);
    write_string(w, "key", f.id);
    write_string(w, "name", f.name);
    write_bool(w, "custom", true);
    write_bool(w, "orderable", true);
    write_bool(w, "navigable", true);
    write_bool(w, "searchable", true);
    w.Key("clauseNames");
    w.StartArray();
    if (numbered) {
      const std::string clause = "cf[" + number + "]";
      w.String(clause.c_str(), static_cast<rapidjson::SizeType>(clause.size()));
    }
    w.String(f.name.c_str(), static_cast<rapidjson::SizeType>(f.name.size()));
    w.EndArray();
    w.Key("schema");
    w.StartObject();
    write_string(w, "type", "any");
    if (numbered) write_int64(w, "customId", std::stoll(number));
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  return RouteResponse::json(200, done(buffer));
}

}  // namespace

std::vector<ApiRoute> jira_site_routes(ApiContext& ctx) {
  std::vector<ApiRoute> routes;
  for (int version : {2, 3}) {
    const std::string base = "/rest/api/" + std::to_string(version);
    routes.push_back({"GET", base + "/myself", ApiScope::kRead,
                      "Jira: the account the cache is read for, named by the API key",
                      jira_handler([&ctx](const ApiRequest& r) { return myself(ctx, r); })});
    routes.push_back({"GET", base + "/serverInfo", ApiScope::kRead,
                      "Jira: the site's version and time, as a Cloud site answers",
                      jira_handler([&ctx](const ApiRequest& r) { return server_info(ctx, r); })});
    routes.push_back({"GET", base + "/field", ApiScope::kRead,
                      "Jira: the fields the cache serves (the stored field list's custom ones too)",
                      jira_handler([&ctx](const ApiRequest&) { return field_list(ctx); })});
  }
  return routes;
}

}  // namespace jirasync
