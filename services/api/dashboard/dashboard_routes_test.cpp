#include "services/api/dashboard/dashboard_routes.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "services/api/api_router.hpp"

namespace jirasync {
namespace {

// The dashboard's routes are public: the router must never ask for a key.
class RefuseAll final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest&, ApiScope needed, ApiCaller&) override {
    if (needed == ApiScope::kPublic) return std::nullopt;
    return RouteResponse::text(401, "key needed");
  }
};

class DashboardRoutesTest : public ::testing::Test {
 protected:
  DashboardRoutesTest() : router(access) { router.add(dashboard_routes()); }

  RouteResponse get(const std::string& path, const std::string& if_none_match = "") {
    RouteRequest r;
    r.method = "GET";
    r.target = path;
    r.path = path;
    if (!if_none_match.empty()) r.headers["if-none-match"] = if_none_match;
    return router.dispatch(r);
  }

  static std::string asset_text(const std::string& path) {
    const auto asset = find_dashboard_asset(path);
    return asset ? std::string(asset->body) : std::string();
  }

  RefuseAll access;
  ApiRouter router;
};

TEST_F(DashboardRoutesTest, RoutesArePublicAndDocumentedPatterns) {
  const auto routes = dashboard_routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].pattern, "/");
  EXPECT_EQ(routes[1].pattern, "/assets/{path...}");
  for (const auto& r : routes) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.scope, ApiScope::kPublic) << r.pattern;
    EXPECT_FALSE(r.summary.empty());
  }
}

TEST_F(DashboardRoutesTest, RootServesTheIndexPageWithSecurityHeaders) {
  const auto r = get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<title>Jirasync</title>"), std::string::npos);
  EXPECT_EQ(r.headers.at("Cache-Control"), "no-cache");
  EXPECT_EQ(r.headers.at("X-Content-Type-Options"), "nosniff");
  const auto& csp = r.headers.at("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(r.headers.at("ETag").front(), '"');
}

TEST_F(DashboardRoutesTest, AssetsHaveTheirContentTypes) {
  EXPECT_EQ(get("/assets/app.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/assets/views/search.js").content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(get("/assets/style.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(get("/assets/favicon.svg").content_type, "image/svg+xml");
  EXPECT_EQ(get("/assets/index.html").content_type, "text/html; charset=utf-8");
  EXPECT_EQ(dashboard_content_type("x.bin"), "application/octet-stream");
  const auto r = get("/assets/views/issue.js");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, asset_text("views/issue.js"));
}

TEST_F(DashboardRoutesTest, UnknownAssetsAre404) {
  EXPECT_EQ(get("/assets/nope.js").status, 404);
  EXPECT_EQ(get("/assets/../dashboard_routes.cpp").status, 404);
  EXPECT_EQ(get("/assets/views").status, 404);
  EXPECT_EQ(get("/assets/APP.JS").status, 404);
  const auto r = get("/assets/%2e%2e%2fetc%2fpasswd");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.at("X-Content-Type-Options"), "nosniff");
}

TEST_F(DashboardRoutesTest, MatchingETagAnswers304WithoutBody) {
  const auto first = get("/assets/app.js");
  const std::string etag = first.headers.at("ETag");
  const auto again = get("/assets/app.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.headers.at("ETag"), etag);
  EXPECT_EQ(get("/assets/app.js", "\"other\", W/" + etag).status, 304);
  EXPECT_EQ(get("/assets/app.js", "*").status, 304);
  EXPECT_EQ(get("/assets/app.js", "\"other\"").status, 200);
  // Another file has another tag.
  EXPECT_NE(get("/assets/style.css").headers.at("ETag"), etag);
}

// The CSP forbids inline code; the page must not need it.
TEST_F(DashboardRoutesTest, IndexNeedsNoInlineScriptOrStyle) {
  const std::string index = asset_text("index.html");
  ASSERT_FALSE(index.empty());
  const std::regex script_tag(R"(<script\b([^>]*)>([\s\S]*?)</script>)", std::regex::icase);
  int scripts = 0;
  for (std::sregex_iterator it(index.begin(), index.end(), script_tag), end; it != end; ++it) {
    ++scripts;
    EXPECT_NE((*it)[1].str().find("src="), std::string::npos) << "inline script: " << it->str();
    EXPECT_TRUE((*it)[2].str().empty()) << "inline script body: " << it->str();
  }
  EXPECT_GE(scripts, 1);
  EXPECT_FALSE(std::regex_search(index, std::regex(R"(<style\b)", std::regex::icase)));
  EXPECT_FALSE(std::regex_search(index, std::regex(R"(\sstyle\s*=)", std::regex::icase)));
  EXPECT_FALSE(std::regex_search(index, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)));
  EXPECT_FALSE(std::regex_search(index, std::regex(R"(javascript:)", std::regex::icase)));
}

// Data goes into the page as text: no script may parse strings as HTML or code.
TEST_F(DashboardRoutesTest, ScriptsNeverParseDataAsHtmlOrCode) {
  const std::regex unsafe(
      R"(innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new Function|javascript:)");
  int scripts = 0;
  for (const auto& asset : dashboard_assets()) {
    if (dashboard_content_type(asset.path).rfind("text/javascript", 0) != 0) continue;
    ++scripts;
    const std::string body(asset.body);
    std::smatch m;
    EXPECT_FALSE(std::regex_search(body, m, unsafe)) << asset.path << ": " << m.str();
  }
  EXPECT_GE(scripts, 5);
}

// Every /assets/ reference of the page and every module import names an
// embedded file, so the browser never meets a 404 (a console error).
TEST_F(DashboardRoutesTest, EveryReferenceResolvesToAnAsset) {
  std::set<std::string> missing;
  const std::string index = asset_text("index.html");
  const std::regex asset_ref(R"re((?:src|href)="/assets/([^"]+)")re");
  int refs = 0;
  for (std::sregex_iterator it(index.begin(), index.end(), asset_ref), end; it != end; ++it) {
    ++refs;
    if (!find_dashboard_asset((*it)[1].str())) missing.insert((*it)[1].str());
  }
  EXPECT_GE(refs, 3);
  const std::regex import_ref(R"re(\bfrom\s+'(\.{1,2}/[^']+)')re");
  for (const auto& asset : dashboard_assets()) {
    const std::string body(asset.body);
    const std::string path(asset.path);
    const std::string dir =
        path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/'));
    for (std::sregex_iterator it(body.begin(), body.end(), import_ref), end; it != end; ++it) {
      std::string target = (*it)[1].str();
      std::string base = dir;
      if (target.rfind("./", 0) == 0) {
        target = target.substr(2);
      } else {
        target = target.substr(3);
        base = base.find('/') == std::string::npos ? "" : base.substr(0, base.rfind('/'));
      }
      const std::string resolved = base.empty() ? target : base + "/" + target;
      if (!find_dashboard_asset(resolved)) missing.insert(path + " -> " + resolved);
    }
  }
  EXPECT_TRUE(missing.empty()) << [&] {
    std::string s;
    for (const auto& m : missing) s += m + "\n";
    return s;
  }();
}

}  // namespace
}  // namespace jirasync
