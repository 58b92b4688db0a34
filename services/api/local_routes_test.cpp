#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/api/cache_routes_fixture.hpp"

namespace jirasync::testing {
namespace {

using ::testing::HasSubstr;

class LocalRoutesTest : public CacheRoutesTest {
 protected:
  LocalRoutesTest() { cache("1", "WRKA-1", kNowMs); }
};

TEST_F(LocalRoutesTest, TagsNotesLinksAndEditsAreWrittenAndRemoved) {
  auto tagged = json(call("PUT", "/api/v1/issues/WRKA-1/tags/smoke"));
  EXPECT_TRUE(tagged["changed"].GetBool());
  EXPECT_FALSE(json(call("PUT", "/api/v1/issues/WRKA-1/tags/smoke"))["changed"].GetBool());
  auto untagged = json(call("DELETE", "/api/v1/issues/WRKA-1/tags/smoke"));
  EXPECT_TRUE(untagged["changed"].GetBool());
  EXPECT_EQ(untagged["tags"].Size(), 0u);

  auto edited = call("PUT", "/api/v1/issues/WRKA-1/edits/priority", R"({"value":"Low"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto issue = json(call("GET", "/api/v1/issues/WRKA-1", "", "read"));
  ASSERT_EQ(issue["local_edits"].Size(), 1u);
  EXPECT_STREQ(issue["local_edits"][0]["field"].GetString(), "priority");
  EXPECT_STREQ(issue["local_edits"][0]["value"].GetString(), "Low");
  auto dropped = json(call("DELETE", "/api/v1/issues/WRKA-1/edits/priority"));
  EXPECT_TRUE(dropped["changed"].GetBool());
  EXPECT_EQ(dropped["local_edits"].Size(), 0u);

  EXPECT_TRUE(json(call("PUT", "/api/v1/issues/WRKA-1/links/testcase/TC-1"))["changed"].GetBool());
  EXPECT_TRUE(
      json(call("DELETE", "/api/v1/issues/WRKA-1/links/testcase/TC-1"))["changed"].GetBool());
  auto note = call("POST", "/api/v1/issues/WRKA-1/notes", R"({"text":"two\nlines"})");
  EXPECT_EQ(note.status, 201) << note.body;
}

TEST_F(LocalRoutesTest, BadLocalInputIsNamedAndUnknownIssuesAreNotFound) {
  EXPECT_EQ(bad_parameter(call("PUT", "/api/v1/issues/WRKA-1/tags/a,b")), "tag");
  EXPECT_EQ(bad_parameter(call("PUT", "/api/v1/issues/WRKA-1/edits/colour", R"({"value":"x"})")),
            "field");
  EXPECT_EQ(bad_parameter(call("PUT", "/api/v1/issues/WRKA-1/edits/summary", "{}")), "value");
  EXPECT_EQ(bad_parameter(call("PUT", "/api/v1/issues/WRKA-1/edits/summary",
                               R"({"value":"a\u001b[31mred"})")),
            "value");
  EXPECT_EQ(bad_parameter(call("POST", "/api/v1/issues/WRKA-1/notes", R"({"text":""})")), "text");
  EXPECT_EQ(bad_parameter(call("PUT", "/api/v1/issues/WRKA-1/links/BAD%20TYPE/1")), "type");
  EXPECT_EQ(call("PUT", "/api/v1/issues/NOPE-9/tags/smoke").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/issues/NOPE-9/notes", R"({"text":"x"})").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/conflicts?key=NOPE-9", "", "read").status, 404);
}

TEST_F(LocalRoutesTest, ConflictsAreListedAndResolvedOnce) {
  open_conflict("1", "WRKA-1", "priority");
  auto list = json(call("GET", "/api/v1/conflicts?key=WRKA-1", "", "read"));
  ASSERT_EQ(list["conflicts"].Size(), 1u);
  const auto& c = list["conflicts"][0];
  EXPECT_STREQ(c["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(c["field"].GetString(), "priority");
  EXPECT_TRUE(c["open"].GetBool());
  const std::string id = std::to_string(c["id"].GetInt64());

  EXPECT_EQ(
      bad_parameter(call("POST", "/api/v1/conflicts/" + id + "/resolve", R"({"take":"both"})")),
      "take");
  EXPECT_EQ(bad_parameter(call("POST", "/api/v1/conflicts/x1/resolve", R"({"take":"jira"})")),
            "id");
  EXPECT_EQ(call("POST", "/api/v1/conflicts/999/resolve", R"({"take":"jira"})").status, 404);

  auto resolved = call("POST", "/api/v1/conflicts/" + id + "/resolve", R"({"take":"jira"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_STREQ(json(resolved)["conflict"]["outcome"].GetString(), "resolved-jira");
  EXPECT_FALSE(json(resolved)["conflict"]["open"].GetBool());
  auto again = call("POST", "/api/v1/conflicts/" + id + "/resolve", R"({"take":"jira"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_THAT(again.body, HasSubstr("already closed"));
  EXPECT_EQ(json(call("GET", "/api/v1/conflicts", "", "read"))["conflicts"].Size(), 0u);
  EXPECT_EQ(json(call("GET", "/api/v1/conflicts?open=false", "", "read"))["conflicts"].Size(), 1u);
  EXPECT_EQ(bad_parameter(call("GET", "/api/v1/conflicts?open=maybe", "", "read")), "open");
}

// Every route refuses a caller without a key, and every write one with only
// the read scope.
TEST_F(LocalRoutesTest, EveryRouteChecksItsScope) {
  const auto concrete = [](std::string pattern) {
    for (const auto& [name, value] : std::map<std::string, std::string>{{"{key}", "WRKA-1"},
                                                                        {"{tag}", "t"},
                                                                        {"{type}", "testcase"},
                                                                        {"{id}", "1"},
                                                                        {"{field}", "summary"}})
      for (size_t at; (at = pattern.find(name)) != std::string::npos;)
        pattern.replace(at, name.size(), value);
    return pattern;
  };
  size_t admin = 0;
  for (const ApiRoute& route : router.routes()) {
    const std::string path = concrete(route.pattern);
    EXPECT_EQ(call(route.method, path, "{}", "").status, 401) << route.method << " " << path;
    if (route.scope == ApiScope::kAdmin) {
      ++admin;
      EXPECT_EQ(call(route.method, path, "{}", "read").status, 403) << route.method << " " << path;
    } else {
      EXPECT_EQ(route.scope, ApiScope::kRead) << route.method << " " << path;
      EXPECT_NE(call(route.method, path, "{}", "read").status, 403) << route.method << " " << path;
    }
  }
  EXPECT_EQ(admin, 9u) << "review, resolve, and tags/notes/links/edits writes";
}

}  // namespace
}  // namespace jirasync::testing
