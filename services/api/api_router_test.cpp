#include "services/api/api_router.hpp"

#include <gtest/gtest.h>

#include "services/api/api_error.hpp"

namespace jirasync {
namespace {

// Admits a request carrying "key: read" or "key: admin", refuses others.
class HeaderAccess final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest& request, ApiScope needed,
                                     ApiCaller& caller) override {
    auto it = request.headers.find("key");
    if (it == request.headers.end()) return api_error(401, "unauthenticated", "no key");
    caller.key_name = it->second;
    caller.scope = it->second == "admin" ? ApiScope::kAdmin : ApiScope::kRead;
    if (needed == ApiScope::kAdmin && caller.scope != ApiScope::kAdmin) {
      return api_error(403, "forbidden", "admin scope needed");
    }
    return std::nullopt;
  }
};

RouteRequest get(const std::string& target, const std::string& method = "GET") {
  RouteRequest r;
  r.method = method;
  r.target = target;
  const auto q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  r.headers["key"] = "reader";
  return r;
}

class ApiRouterTest : public ::testing::Test {
 protected:
  ApiRouterTest() : router(access) {
    router.add(
        {"GET", "/api/v1/issues/{key}", ApiScope::kRead, "one issue",
         [](const ApiRequest& r) { return RouteResponse::text(200, "one " + r.path.at("key")); }});
    router.add({"GET", "/api/v1/issues/search", ApiScope::kRead, "literal beats parameter",
                [](const ApiRequest&) { return RouteResponse::text(200, "search"); }});
    router.add({"POST", "/api/v1/sync", ApiScope::kAdmin, "sync",
                [](const ApiRequest& r) { return RouteResponse::text(200, r.caller.key_name); }});
    router.add({"GET", "/api/v1/list", ApiScope::kRead, "query", [](const ApiRequest& r) {
                  std::string out = r.param("jql").value_or("-");
                  for (const auto& v : r.params("param.p")) out += "|" + v;
                  return RouteResponse::text(200, out);
                }});
    router.add({"GET", "/files/{rest...}", ApiScope::kPublic, "rest of the path",
                [](const ApiRequest& r) { return RouteResponse::text(200, r.path.at("rest")); }});
    router.add({"GET", "/api/v1/boom", ApiScope::kRead, "bad parameter",
                [](const ApiRequest&) -> RouteResponse {
                  throw std::invalid_argument("limit: not a number");
                }});
  }
  HeaderAccess access;
  ApiRouter router;
};

TEST_F(ApiRouterTest, MatchesPathParametersDecoded) {
  auto r = router.dispatch(get("/api/v1/issues/AB%2D1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "one AB-1");
}

TEST_F(ApiRouterTest, LiteralSegmentBeatsParameter) {
  EXPECT_EQ(router.dispatch(get("/api/v1/issues/search")).body, "search");
}

TEST_F(ApiRouterTest, QueryIsDecodedAndRepeatedNamesKept) {
  auto r = router.dispatch(get("/api/v1/list?jql=project+%3D+AB&param.p=1&param.p=2"));
  EXPECT_EQ(r.body, "project = AB|1|2");
}

TEST_F(ApiRouterTest, RestParameterTakesTheRestOfThePath) {
  auto r = router.dispatch(get("/files/css/site.css"));
  EXPECT_EQ(r.body, "css/site.css");
}

TEST_F(ApiRouterTest, UnknownPathIs404InTheErrorShape) {
  auto r = router.dispatch(get("/api/v1/nope"));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"code\":\"not_found\""), std::string::npos) << r.body;
  EXPECT_EQ(router.dispatch(get("/api/v1/issues/A-1/extra")).status, 404);
}

TEST_F(ApiRouterTest, OtherMethodIs405WithAllow) {
  auto r = router.dispatch(get("/api/v1/sync"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["Allow"], "POST");
}

TEST_F(ApiRouterTest, AccessIsCheckedByScope) {
  auto reader = get("/api/v1/sync", "POST");
  EXPECT_EQ(router.dispatch(reader).status, 403);
  reader.headers["key"] = "admin";
  EXPECT_EQ(router.dispatch(reader).body, "admin");
  auto anonymous = get("/api/v1/issues/A-1");
  anonymous.headers.clear();
  EXPECT_EQ(router.dispatch(anonymous).status, 401);
  EXPECT_EQ(router.dispatch(anonymous.method == "GET" ? get("/files/x") : anonymous).status, 200);
}

TEST_F(ApiRouterTest, InvalidArgumentIs400NamingIt) {
  auto r = router.dispatch(get("/api/v1/boom"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("limit: not a number"), std::string::npos);
  EXPECT_EQ(router.dispatch(get("/api/v1/list?jql=%zz")).status, 400);
}

TEST_F(ApiRouterTest, DuplicateRouteIsAProgrammingError) {
  EXPECT_THROW(router.add({"POST", "/api/v1/sync", ApiScope::kAdmin, "again", {}}),
               std::logic_error);
  EXPECT_THROW(router.add({"GET", "/x/{a...}/y", ApiScope::kRead, "rest not last", {}}),
               std::logic_error);
}

}  // namespace
}  // namespace jirasync
