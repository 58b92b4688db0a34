#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "services/api/cache_routes_fixture.hpp"

namespace jirasync::testing {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The OpenAPI fragment of this family documents exactly its routes.
TEST_F(CacheRoutesTest, TheOpenApiFragmentDocumentsEveryRouteAndNoOther) {
  const auto path =
      std::filesystem::path(JIRASYNC_SOURCE_DIR) / "services" / "api" / "openapi" / "cache.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  parse_json_text(text.str(), doc, "cache.json");
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

}  // namespace
}  // namespace jirasync::testing
