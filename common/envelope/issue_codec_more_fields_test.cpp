// The issue codec carries the fields of migration 5 between roles, and still
// reads decisions written before them.
#include <gtest/gtest.h>

#include "common/envelope/issue_codec.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

JiraIssue issue_with_everything() {
  JiraIssue i;
  i.id = "10042";
  i.key = "WRKA-42";
  i.summary = "s";
  i.due_date = "2026-02-01";
  i.creator = JiraUser{"712020:abc", "山田 太郎"};
  i.affected_versions = {"1.4", "1.5"};
  i.environment_adf = R"({"content":[],"type":"doc","version":1})";
  i.environment_text = "Safari \"17\"";
  i.comments = {
      {"10100", JiraUser{"a", "A"}, R"({"type":"doc"})", "hello\nworld", 1, 2},
      {"10101", std::nullopt, "", "", -5, -5},
  };
  i.links = {{"1", "Blocks", "outward", "blocks", "10050", "WRKA-50"},
             {"2", "Relates", "inward", "relates to", "10007", "WRKB-7"}};
  i.subtasks = {{"10043", "WRKA-43"}};
  i.attachments = {{"10000", "console.log", "text/plain", 2048, 7, JiraUser{"a", "A"}},
                   {"10001", "ünïcode.png", "", 0, 0, std::nullopt}};
  i.time_tracking = {28800, std::nullopt, 0};
  return i;
}

TEST(IssueCodecMoreFields, EveryNewFieldRoundTrips) {
  const JiraIssue issue = issue_with_everything();
  EXPECT_EQ(issue_from_json(issue_to_json(issue)), issue);
}

TEST(IssueCodecMoreFields, DecisionsOfEarlierWritersReadWithDefaults) {
  // An issue as writers before migration 5 encoded it: none of the new members.
  const JiraIssue back = issue_from_json(std::string(
      R"({"id":"1","key":"A-1","project_key":"A","project_id":"","issue_type":"Bug",)"
      R"("subtask":false,"status":"Open","status_category":"new","priority":null,)"
      R"("assignee":null,"reporter":null,"labels":[],"components":[],"fix_versions":[],)"
      R"("parent_id":null,"parent_key":null,"resolution":null,"created_ms":1,"updated_ms":2,)"
      R"("resolution_date_ms":null,"summary":"s","description_text":""})"));
  EXPECT_FALSE(back.due_date);
  EXPECT_FALSE(back.creator);
  EXPECT_TRUE(back.affected_versions.empty());
  EXPECT_TRUE(back.comments.empty());
  EXPECT_TRUE(back.links.empty());
  EXPECT_EQ(back.time_tracking, JiraTimeTracking{});
}

TEST(IssueCodecMoreFields, MalformedNewMembersNameTheField) {
  std::string json = issue_to_json(issue_with_everything());
  auto error_field = [](std::string text) {
    try {
      issue_from_json(text);
    } catch (const PayloadError& e) {
      return e.field();
    }
    return std::string("<no error>");
  };
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  EXPECT_EQ(error_field(with(R"("comments":[)", R"("comments":7,"x":[)")), "issue.comments");
  EXPECT_EQ(error_field(with(R"("body_text":"hello\nworld")", R"("body_text":1)")),
            "issue.comments[0].body_text");
  EXPECT_EQ(error_field(with(R"("other_key":"WRKB-7")", R"("other_key":null)")),
            "issue.links[1].other_key");
  EXPECT_EQ(error_field(with(R"("size_bytes":2048)", R"("size_bytes":"2048")")),
            "issue.attachments[0].size_bytes");
  EXPECT_EQ(error_field(with(R"("original_estimate_s":28800)", R"("original_estimate_s":"1d")")),
            "issue.time_tracking.original_estimate_s");
}

}  // namespace
}  // namespace jirasync
