#include "services/api/jira_compat/jira_request.hpp"

#include <charconv>
#include <memory>
#include <stdexcept>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/json/json_document.hpp"
#include "common/store/issue_search.hpp"
#include "services/api/api_context.hpp"
#include "services/api/jira_compat/jira_issue_loader.hpp"

namespace jirasync {

std::string jira_base_url(const RouteRequest& request) {
  auto header = [&](const char* name) {
    auto it = request.headers.find(name);
    return it == request.headers.end() ? std::string() : it->second;
  };
  const std::string proto = header("x-forwarded-proto") == "https" ? "https" : "http";
  std::string host = header("host");
  // Never echo a header that could break out of a URL into the JSON's links.
  for (char c : host) {
    if (c <= ' ' || c == '"' || c == '\\' || c == '/' || c == '?' || c == '#' || c == 0x7f) {
      host.clear();
      break;
    }
  }
  return proto + "://" + (host.empty() ? std::string("localhost") : host);
}

JqlContext jira_jql_context(ApiContext& ctx) {
  JqlContext context;
  context.account_id = ctx.config.jira.account_id;
  context.time_zone = ctx.config.jira.account_time_zone;
  context.now_ms = ctx.clock.now_ms();
  return ctx.search.with_field_list(context);  // custom fields by name
}

JiraRenderContext jira_render_context(ApiContext& ctx, const ApiRequest& request, int api_version,
                                      JiraIssueLoader& loader) {
  JiraRenderContext render;
  render.base_url = jira_base_url(request.http);
  render.time_zone = ctx.config.jira.account_time_zone;
  render.api_version = api_version;
  render.related = [&loader](const std::string& key) { return loader.find(key); };
  render.fragments = std::make_shared<JiraFragmentCache>();
  return render;
}

int jira_int(const std::string& name, const std::string& text, int min, int max) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw std::invalid_argument("The value '" + text + "' is invalid for the '" + name +
                                "' parameter: a whole number is expected.");
  }
  if (value < min || value > max) {
    throw std::invalid_argument("The '" + name + "' parameter must be between " +
                                std::to_string(min) + " and " + std::to_string(max) + ".");
  }
  return value;
}

void jira_body(const RouteRequest& request, rapidjson::Document& doc) {
  if (request.body.empty())
    throw std::invalid_argument("The request body is empty: a JSON object is expected.");
  parse_json_text(request.body, doc, "body");
  if (!doc.IsObject()) throw std::invalid_argument("The request body must be a JSON object.");
}

std::optional<std::vector<std::string>> jira_body_strings(const rapidjson::Value& body,
                                                          const char* name) {
  auto it = body.FindMember(name);
  if (it == body.MemberEnd() || it->value.IsNull()) return std::nullopt;
  std::vector<std::string> out;
  if (it->value.IsString()) {
    out.emplace_back(it->value.GetString(), it->value.GetStringLength());
    return out;
  }
  if (!it->value.IsArray()) {
    throw std::invalid_argument(std::string("'") + name + "' must be a list of strings.");
  }
  for (const auto& v : it->value.GetArray()) {
    if (!v.IsString())
      throw std::invalid_argument(std::string("'") + name + "' must be a list of strings.");
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

}  // namespace jirasync
