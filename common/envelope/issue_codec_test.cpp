#include "common/envelope/issue_codec.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

JiraIssue full_issue() {
  JiraIssue i;
  i.id = "10042";
  i.key = "WRKA-42";
  i.project_key = "WRKA";
  i.project_id = "10000";
  i.issue_type = "Sub-task";
  i.subtask = true;
  i.status = "In Progress";
  i.status_category = "indeterminate";
  i.priority = "Höchste";
  i.assignee = JiraUser{"557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "Zoë \"Z\" Ångström"};
  i.reporter = JiraUser{"712020:abc", "山田 太郎"};
  i.labels = {"backend", "日本語", "emoji-\xF0\x9F\x90\x9B", ""};
  i.components = {"API"};
  i.fix_versions = {"1.0", "1.1"};
  i.parent_id = "10041";
  i.parent_key = "WRKA-41";
  i.resolution = "Done";
  i.created_ms = -86400000;  // before 1970
  i.updated_ms = std::numeric_limits<int64_t>::max();
  i.resolution_date_ms = 0;
  i.summary = std::string("Line1\nLine2 \\ \"quoted\" \t") + '\0' + " end";
  i.description_adf =
      R"({"content":[{"content":[{"text":"Grüße ✓","type":"text"}],"type":"paragraph"}],"type":"doc","version":1})";
  i.description_text = "Grüße ✓";
  i.custom_fields = {{"customfield_10010", R"(["a","b"])"},
                     {"customfield_10020", "3.5"},
                     {"customfield_10030", R"("plain string")"},
                     {"customfield_10040", R"({"value":"Red","id":"1"})"}};
  return i;
}

TEST(IssueCodecTest, FullIssueRoundTrips) {
  const JiraIssue issue = full_issue();
  EXPECT_EQ(issue_from_json(issue_to_json(issue)), issue);
}

TEST(IssueCodecTest, MinimalIssueRoundTrips) {
  JiraIssue issue;
  issue.id = "1";
  issue.key = "A-1";
  const JiraIssue back = issue_from_json(issue_to_json(issue));
  EXPECT_EQ(back, issue);
  EXPECT_FALSE(back.priority.has_value());
  EXPECT_FALSE(back.assignee.has_value());
  EXPECT_FALSE(back.resolution_date_ms.has_value());
}

TEST(IssueCodecTest, JsonTextsTravelAsStrings) {
  const std::string json = issue_to_json(full_issue());
  EXPECT_NE(json.find(R"("description_adf_json":"{\"content\":)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("customfield_10010":"[\"a\",\"b\"]")"), std::string::npos) << json;
  EXPECT_EQ(json.find(R"("custom_fields":)"), std::string::npos) << json;
}

TEST(IssueCodecTest, EmbeddedJsonTextsOfEarlierWritersAreRead) {
  const std::string embedded =
      R"({"id":"1","key":"A-1","project_key":"A","project_id":"","issue_type":"","subtask":false,)"
      R"("status":"","status_category":"","priority":null,"assignee":null,"reporter":null,)"
      R"("labels":[],"components":[],"fix_versions":[],"parent_id":null,"parent_key":null,)"
      R"("resolution":null,"created_ms":1,"updated_ms":2,"resolution_date_ms":null,"summary":"s",)"
      R"("description_adf":{"type":"doc","version":1},"description_text":"",)"
      R"("custom_fields":{"customfield_1":["a",1]},"custom_fields_json":{"customfield_2":"x y"}})";
  const JiraIssue issue = issue_from_json(embedded);
  EXPECT_EQ(issue.description_adf, R"({"type":"doc","version":1})");
  EXPECT_EQ(issue.custom_fields.at("customfield_1"), R"(["a",1])");
  EXPECT_EQ(issue.custom_fields.at("customfield_2"), "x y");
}

TEST(IssueCodecTest, NonCanonicalJsonTextSurvivesExactly) {
  JiraIssue issue = full_issue();
  issue.description_adf = R"({ "type": "doc", "version": 1 })";  // spaces: not canonical
  issue.custom_fields["customfield_10050"] = "1e2";              // RapidJSON writes 100.0
  issue.custom_fields["customfield_10060"] = "not json at all";
  issue.custom_fields["customfield_10070"] = "null";
  const std::string json = issue_to_json(issue);
  EXPECT_NE(json.find("description_adf_json"), std::string::npos) << json;
  EXPECT_NE(json.find("custom_fields_json"), std::string::npos) << json;
  EXPECT_EQ(issue_from_json(json), issue);
}

TEST(IssueCodecTest, EmbeddedNullDescriptionIsKept) {
  JiraIssue issue = full_issue();
  issue.description_adf = "null";
  EXPECT_EQ(issue_from_json(issue_to_json(issue)).description_adf, "null");
}

std::string error_field(const std::string& json) {
  try {
    issue_from_json(json);
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<none>";
}

std::string with(const std::string& from, const std::string& to) {
  std::string json = issue_to_json(full_issue());
  const size_t at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  json.replace(at, from.size(), to);
  return json;
}

TEST(IssueCodecTest, MalformedIssueNamesTheFieldWithPath) {
  EXPECT_EQ(error_field("{"), "json");
  EXPECT_EQ(error_field("[]"), "issue");
  EXPECT_EQ(error_field(with(R"("summary":)", R"("summary_x":)")), "issue.summary");
  EXPECT_EQ(error_field(with(R"("subtask":true)", R"("subtask":"yes")")), "issue.subtask");
  EXPECT_EQ(error_field(with(R"("priority":"Höchste")", R"("priority":3)")), "issue.priority");
  EXPECT_EQ(error_field(with(R"("display_name":"山田 太郎")", R"("display_name":false)")),
            "issue.reporter.display_name");
  EXPECT_EQ(error_field(with(R"("components":["API"])", R"("components":["API",null])")),
            "issue.components[1]");
  EXPECT_EQ(error_field(with(R"("resolution_date_ms":0)", R"("resolution_date_ms":"0")")),
            "issue.resolution_date_ms");
  EXPECT_EQ(error_field(with(R"("created_ms":-86400000)", R"("created_ms":1.5)")),
            "issue.created_ms");
  EXPECT_EQ(error_field(with(R"("custom_fields_json":{)", R"("custom_fields_json":7,"x":{)")),
            "issue.custom_fields_json");
  EXPECT_EQ(error_field(with(R"("description_text":)", R"("custom_fields":7,"description_text":)")),
            "issue.custom_fields");
}

}  // namespace
}  // namespace jirasync
