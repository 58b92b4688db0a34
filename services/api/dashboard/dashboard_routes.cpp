#include "services/api/dashboard/dashboard_routes.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace jirasync {
namespace {

// Scripts and styles only from this origin, no inline script or style, no
// framing: a ticket's text cannot become code even if a view slipped.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Whether an If-None-Match header (a list of entity tags, or "*") names `etag`.
bool matches(const std::string& if_none_match, std::string_view etag) {
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    std::size_t end = if_none_match.find(',', start);
    if (end == std::string::npos) end = if_none_match.size();
    std::string_view tag(if_none_match.data() + start, end - start);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/")
      tag.remove_prefix(2);  // weak comparison, as RFC 9110 asks for GET
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

RouteResponse serve(const ApiRequest& request, const DashboardAsset& asset) {
  RouteResponse response;
  response.headers["ETag"] = std::string(asset.etag);
  // The file names carry no version: a browser keeps its copy but asks
  // again each time, and the ETag turns that into a 304.
  response.headers["Cache-Control"] = "no-cache";
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  response.headers["Referrer-Policy"] = "no-referrer";
  response.content_type = dashboard_content_type(asset.path);
  const auto inm = request.http.headers.find("if-none-match");
  if (inm != request.http.headers.end() && matches(inm->second, asset.etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.body = std::string(asset.body);
  return response;
}

RouteResponse not_found(const std::string& path) {
  RouteResponse response = RouteResponse::text(404, "no dashboard asset '" + path + "'\n");
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Cache-Control"] = "no-store";
  return response;
}

}  // namespace

std::string dashboard_content_type(std::string_view path) {
  static const std::array<std::pair<std::string_view, const char*>, 9> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (ends_with(path, extension)) return type;
  }
  return "application/octet-stream";
}

std::optional<DashboardAsset> find_dashboard_asset(std::string_view path) {
  const auto assets = dashboard_assets();
  const auto it = std::find_if(assets.begin(), assets.end(),
                               [&](const DashboardAsset& a) { return a.path == path; });
  if (it == assets.end()) return std::nullopt;
  return *it;
}

std::vector<ApiRoute> dashboard_routes() {
  std::vector<ApiRoute> routes;
  routes.push_back(
      {"GET", "/", ApiScope::kPublic, "The dashboard page", [](const ApiRequest& request) {
         const auto index = find_dashboard_asset("index.html");
         return index ? serve(request, *index) : not_found("index.html");
       }});
  routes.push_back({"GET", "/assets/{path...}", ApiScope::kPublic,
                    "A file of the dashboard page (scripts, styles, icon)",
                    [](const ApiRequest& request) {
                      const std::string& path = request.path.at("path");
                      const auto asset = find_dashboard_asset(path);
                      return asset ? serve(request, *asset) : not_found(path);
                    }});
  return routes;
}

}  // namespace jirasync
