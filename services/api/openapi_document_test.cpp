#include "services/api/openapi_document.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "services/api/api_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Every route the router serves is in the document, and every documented
// path and method is a route: the document cannot drift from the code.
TEST(OpenApiDocument, DocumentsEveryRouteAndOnlyRoutes) {
  ApiFixture api;
  const auto response = api.send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["openapi"].GetString(), "3.1.0");

  std::set<std::string> routes;
  for (const auto& route : api.role_.router().routes()) {
    routes.insert(lower(route.method) + " " + route.pattern);
  }
  std::set<std::string> documented;
  for (const auto& path : doc["paths"].GetObject()) {
    for (const auto& method : path.value.GetObject()) {
      const std::string name = method.name.GetString();
      if (name == "parameters" || name == "summary" || name == "description") continue;
      documented.insert(name + " " + path.name.GetString());
      EXPECT_TRUE(method.value.HasMember("summary")) << name << " " << path.name.GetString();
    }
  }
  for (const auto& route : routes)
    EXPECT_TRUE(documented.count(route)) << "undocumented: " << route;
  for (const auto& entry : documented) EXPECT_TRUE(routes.count(entry)) << "not a route: " << entry;
}

TEST(OpenApiDocument, PublicRoutesAreMarkedWithoutSecurity) {
  ApiFixture api;
  rapidjson::Document doc;
  doc.Parse(api.send("GET", "/api/v1/openapi.json").body.c_str());
  for (const auto& route : api.role_.router().routes()) {
    const auto& operation = doc["paths"][route.pattern.c_str()][lower(route.method).c_str()];
    const bool open = operation.HasMember("security") && operation["security"].Empty();
    EXPECT_EQ(open, route.scope == ApiScope::kPublic) << route.method << " " << route.pattern;
  }
}

TEST(OpenApiDocument, MergesFamiliesAndRefusesClashes) {
  const std::string merged = openapi_document(
      {{"a", R"({"paths":{"/x":{"get":{"summary":"g"}}},"components":{"schemas":{"AThing":{}}}})"},
       {"b",
        R"({"paths":{"/x":{"post":{"summary":"p"}}},"components":{"schemas":{"BThing":{}}}})"}});
  rapidjson::Document doc;
  doc.Parse(merged.c_str());
  EXPECT_TRUE(doc["paths"]["/x"].HasMember("get"));
  EXPECT_TRUE(doc["paths"]["/x"].HasMember("post"));
  EXPECT_TRUE(doc["components"]["schemas"].HasMember("AThing"));
  EXPECT_TRUE(doc["components"]["schemas"].HasMember("ApiError"));

  try {
    openapi_document(
        {{"a", R"({"paths":{"/x":{"get":{}}}})"}, {"b", R"({"paths":{"/x":{"get":{}}}})"}});
    ADD_FAILURE() << "a method documented twice was merged";
  } catch (const std::logic_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("openapi/b.json"));
  }
  EXPECT_THROW(openapi_document({{"a", R"({"components":{"schemas":{"ApiError":{}}}})"}}),
               std::logic_error);
  EXPECT_THROW(openapi_document({{"c", "{not json"}}), std::logic_error);
}

TEST(OpenApiDocument, EveryFragmentIsCompiledIn) {
  std::set<std::string> families;
  for (const auto& fragment : openapi_fragments()) families.insert(fragment.family);
  EXPECT_TRUE(families.count("pipeline"));
}

}  // namespace
}  // namespace jirasync
