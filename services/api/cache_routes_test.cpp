#include <gtest/gtest.h>

#include <set>

#include "services/api/api_test_support.hpp"
#include "services/api/cache_routes_fixture.hpp"
#include "services/api/openapi_document.hpp"

namespace jirasync::testing {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The OpenAPI fragment of this family documents exactly its routes.
TEST_F(CacheRoutesTest, TheOpenApiFragmentDocumentsEveryRouteAndNoOther) {
  const OpenApiFragment* cache = nullptr;
  for (const auto& f : openapi_fragments())
    if (f.family == "cache") cache = &f;
  ASSERT_NE(cache, nullptr) << "services/api/openapi/cache.json is compiled in";
  rapidjson::Document doc;
  parse_json_text(cache->json, doc, "cache.json");
  std::set<std::string> documented, routed;
  for (const auto& p : doc["paths"].GetObject())
    for (const auto& m : p.value.GetObject())
      documented.insert(std::string(m.name.GetString()) + " " + p.name.GetString());
  for (const ApiRoute& r : router.routes()) routed.insert(lower(r.method) + " " + r.pattern);
  EXPECT_EQ(documented, routed);
  ASSERT_TRUE(doc["components"]["schemas"].IsObject());
  for (const auto& s : doc["components"]["schemas"].GetObject())
    EXPECT_EQ(std::string(s.name.GetString()).rfind("Cache", 0), 0u) << s.name.GetString();
}

// The role serves the family with real API keys: read for reads, admin for writes.
TEST(CacheRoutesInTheRole, ServedWithTheKeysScopes) {
  ApiFixture api;
  const auto list = api.send("GET", "/api/v1/issues?jql=project%3DWRKA", api.read_key);
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(api.send("GET", "/api/v1/templates").status, 401);
  EXPECT_EQ(api.send("PUT", "/api/v1/issues/WRKA-1/tags/x", api.read_key).status, 403);
  EXPECT_EQ(api.send("PUT", "/api/v1/issues/WRKA-1/tags/x", api.admin_key).status, 404)
      << "admitted, and the issue is not cached";
}

}  // namespace
}  // namespace jirasync::testing
