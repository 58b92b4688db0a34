// The fields beyond the first cache schema: due date, creator, affected
// versions, environment, links, subtasks, comments, attachments, time
// tracking, on JSON shaped as Atlassian's OpenAPI spec shapes them.
#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json/payload_error.hpp"
#include "common/model/issue_parser.hpp"

namespace jirasync {
namespace {

std::string sample() {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) +
                   "/common/model/testdata/more_fields_issue.json");
  EXPECT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The sample with `pointer` set to `value_json`, or removed when it is null.
std::string with(const char* pointer, const char* value_json) {
  rapidjson::Document d;
  d.Parse(sample().c_str());
  if (value_json == nullptr) {
    EXPECT_TRUE(rapidjson::Pointer(pointer).Erase(d)) << pointer;
  } else {
    rapidjson::Document v(&d.GetAllocator());
    v.Parse(value_json);
    EXPECT_FALSE(v.HasParseError()) << value_json;
    rapidjson::Pointer(pointer).Set(d, v);
  }
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

// "field: message" of the PayloadError `parse` throws.
std::string error_of(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const PayloadError& e) {
    return e.what();  // "field: reason"
  }
  return "<no error>";
}

TEST(IssueMoreFields, ReadsEverySpecShapedField) {
  const JiraIssue i = parse_complete_issue(sample());
  EXPECT_EQ(i.due_date, "2026-02-01");
  ASSERT_TRUE(i.creator);
  EXPECT_EQ(i.creator->account_id, "5b10a2844c20165700ede21g");
  EXPECT_EQ(i.creator->display_name, "Mia Krystof");
  EXPECT_EQ(i.affected_versions, (std::vector<std::string>{"1.4", "1.5"}));
  EXPECT_EQ(i.environment_text, "Safari 17, macOS 14");
  EXPECT_NE(i.environment_adf.find("\"Safari 17, macOS 14\""), std::string::npos);

  ASSERT_EQ(i.links.size(), 2u);
  EXPECT_EQ(i.links[0],
            (JiraIssueLink{"10001", "Blocks", "outward", "blocks", "10050", "WRKA-50"}));
  EXPECT_EQ(i.links[1],
            (JiraIssueLink{"10002", "Relates", "inward", "relates to", "10007", "WRKB-7"}));

  EXPECT_EQ(i.subtasks, (std::vector<JiraSubtaskRef>{{"10043", "WRKA-43"}, {"10044", "WRKA-44"}}));

  ASSERT_EQ(i.attachments.size(), 1u);
  EXPECT_EQ(i.attachments[0].id, "10000");
  EXPECT_EQ(i.attachments[0].filename, "console.log");
  EXPECT_EQ(i.attachments[0].mime_type, "text/plain");
  EXPECT_EQ(i.attachments[0].size_bytes, 2048);
  EXPECT_EQ(i.attachments[0].created_ms, 1768119300000);
  ASSERT_TRUE(i.attachments[0].author);
  EXPECT_EQ(i.attachments[0].author->display_name, "Mia Krystof");

  EXPECT_EQ(i.time_tracking.original_estimate_s, 28800);
  EXPECT_EQ(i.time_tracking.remaining_estimate_s, 7200);
  EXPECT_EQ(i.time_tracking.time_spent_s, 21600);

  ASSERT_EQ(i.comments.size(), 2u);
  EXPECT_EQ(i.comments[0].id, "10100");
  ASSERT_TRUE(i.comments[0].author);
  EXPECT_EQ(i.comments[0].author->account_id, "5b10a2844c20165700ede21g");
  EXPECT_EQ(i.comments[0].body_text, "Seen on 1.4 too.");
  EXPECT_EQ(i.comments[0].created_ms, 1768122000000);
  EXPECT_EQ(i.comments[0].updated_ms, 1768122300000);
  EXPECT_FALSE(i.comments[1].author);  // absent: an anonymous or imported comment
  // Canonical: key order in the source does not show.
  EXPECT_EQ(i.comments[1].body_adf.substr(0, 10), "{\"content\"");
}

TEST(IssueMoreFields, AbsentOrNullFieldsLeaveDefaults) {
  std::string json = sample();
  for (const char* p : {"/fields/duedate", "/fields/creator", "/fields/versions",
                        "/fields/environment", "/fields/issuelinks", "/fields/subtasks",
                        "/fields/attachment", "/fields/timetracking", "/fields/comment"}) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    rapidjson::Pointer(p).Set(d, rapidjson::Value());  // null
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    d.Accept(w);
    json = sb.GetString();
  }
  const JiraIssue nulls = parse_complete_issue(json);
  EXPECT_FALSE(nulls.due_date);
  EXPECT_FALSE(nulls.creator);
  EXPECT_TRUE(nulls.affected_versions.empty());
  EXPECT_EQ(nulls.environment_text, "");
  EXPECT_EQ(nulls.environment_adf, "");
  EXPECT_TRUE(nulls.links.empty());
  EXPECT_TRUE(nulls.subtasks.empty());
  EXPECT_TRUE(nulls.attachments.empty());
  EXPECT_EQ(nulls.time_tracking, JiraTimeTracking{});
  EXPECT_TRUE(nulls.comments.empty());

  // An empty timetracking object (no estimate, nothing logged) is Jira's usual shape.
  EXPECT_EQ(parse_complete_issue(with("/fields/timetracking", "{}")).time_tracking,
            JiraTimeTracking{});
  // Older payloads carry the environment as plain text.
  EXPECT_EQ(parse_complete_issue(with("/fields/environment", "\"Firefox 120\"")).environment_text,
            "Firefox 120");
}

TEST(IssueMoreFields, TopLevelTimeFieldsStandInForTimetracking) {
  std::string json = with("/fields/timetracking", nullptr);
  rapidjson::Document d;
  d.Parse(json.c_str());
  rapidjson::Pointer("/fields/timeoriginalestimate").Set(d, 3600);
  rapidjson::Pointer("/fields/timeestimate").Set(d, 1800);
  rapidjson::Pointer("/fields/timespent").Set(d, rapidjson::Value());
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  const JiraIssue i = parse_complete_issue(std::string(sb.GetString()));
  EXPECT_EQ(i.time_tracking.original_estimate_s, 3600);
  EXPECT_EQ(i.time_tracking.remaining_estimate_s, 1800);
  EXPECT_FALSE(i.time_tracking.time_spent_s);
}

TEST(IssueMoreFields, AttachmentIdMayBeANumber) {
  // AttachmentMetadata gives the id as an int64.
  EXPECT_EQ(parse_complete_issue(with("/fields/attachment/0/id", "10000")).attachments[0].id,
            "10000");
}

TEST(IssueMoreFields, OddValuesAreClearErrorsNamingTheField) {
  const auto err = [](const char* pointer, const char* value) {
    return error_of([&] { parse_complete_issue(with(pointer, value)); });
  };
  EXPECT_EQ(err("/fields/duedate", "\"2026-02-30\""),
            "fields.duedate: must be a date YYYY-MM-DD, got \"2026-02-30\"");
  EXPECT_EQ(err("/fields/duedate", "\"01/02/2026\""),
            "fields.duedate: must be a date YYYY-MM-DD, got \"01/02/2026\"");
  EXPECT_EQ(err("/fields/duedate", "20260201"), "fields.duedate: must be a string, got a number");
  EXPECT_EQ(err("/fields/creator", "{\"displayName\":\"x\"}"),
            "fields.creator.accountId: is required but missing or null");
  EXPECT_EQ(err("/fields/versions/1", "\"1.5\""),
            "fields.versions[1]: must be an object, got a string");
  EXPECT_EQ(err("/fields/environment", "42"),
            "fields.environment: must be an ADF object or a string, got a number");
  EXPECT_EQ(err("/fields/issuelinks/0/outwardIssue", nullptr),
            "fields.issuelinks[0]: has neither inwardIssue nor outwardIssue");
  EXPECT_EQ(err("/fields/issuelinks/1/outwardIssue", "{\"id\":\"1\",\"key\":\"A-1\"}"),
            "fields.issuelinks[1]: has both inwardIssue and outwardIssue");
  EXPECT_EQ(err("/fields/issuelinks/0/type", nullptr),
            "fields.issuelinks[0].type: is required but missing or null");
  EXPECT_EQ(err("/fields/issuelinks/0/outwardIssue/key", nullptr),
            "fields.issuelinks[0].outwardIssue.key: is required but missing or null");
  EXPECT_EQ(err("/fields/subtasks/1/id", "10044"),
            "fields.subtasks[1].id: must be a string, got a number");
  EXPECT_EQ(err("/fields/attachment/0/size", "\"2 KB\""),
            "fields.attachment[0].size: must be an integer, got a string");
  EXPECT_EQ(err("/fields/attachment/0/size", "-1"),
            "fields.attachment[0].size: must not be negative");
  EXPECT_EQ(err("/fields/attachment/0/created", "\"yesterday\"").substr(0, 30),
            "fields.attachment[0].created: ");
  EXPECT_EQ(err("/fields/timetracking/timeSpentSeconds", "\"6h\""),
            "fields.timetracking.timeSpentSeconds: must be an integer, got a string");
  EXPECT_EQ(err("/fields/comment", "7"),
            "fields.comment: must be an object or an array, got a number");
  EXPECT_EQ(err("/fields/comment/comments/0/id", nullptr),
            "fields.comment.comments[0].id: is required but missing or null");
  EXPECT_EQ(err("/fields/comment/comments/1/body", "7"),
            "fields.comment.comments[1].body: must be an ADF object or a string, got a number");
  EXPECT_EQ(err("/fields/comment/comments/1/id", "\"10100\""),
            "fields.comment.comments[1].id: appears more than once");
  // The cache keys every list by id: a repeated id would not fit.
  EXPECT_EQ(err("/fields/issuelinks/1/id", "\"10001\""),
            "fields.issuelinks[1].id: appears more than once");
  EXPECT_EQ(err("/fields/subtasks/1/id", "\"10043\""),
            "fields.subtasks[1].id: appears more than once");
}

TEST(IssueMoreFields, ATruncatedCommentListIsNeverStoredAsComplete) {
  // Jira sent 2 of 120: storing them would silently drop 118. The fetcher
  // fetches the rest first; a list still short here is an error.
  EXPECT_EQ(error_of([] { parse_complete_issue(with("/fields/comment/total", "120")); }),
            "fields.comment: holds 2 of 120 comments (the rest were not fetched)");
  // parse_issue (no completeness rule) reads what is there.
  EXPECT_EQ(parse_issue(with("/fields/comment/total", "120")).comments.size(), 2u);
}

TEST(IssueMoreFields, TheSpecExamplesBareCommentArrayIsACompleteList) {
  const JiraIssue i = parse_complete_issue(
      with("/fields/comment",
           "[{\"id\":\"1\",\"body\":\"plain\",\"created\":\"2021-01-17T12:34:00.000+0000\"}]"));
  ASSERT_EQ(i.comments.size(), 1u);
  EXPECT_EQ(i.comments[0].body_text, "plain");
  EXPECT_EQ(i.comments[0].updated_ms, i.comments[0].created_ms);
}

TEST(IssueMoreFields, ListsAreBounded) {
  ParseLimits limits;
  limits.max_comments = 1;
  EXPECT_EQ(error_of([&] { parse_complete_issue(sample(), limits); }),
            "fields.comment.comments: has 2 entries, over the limit of 1");
  limits = ParseLimits{};
  limits.max_links = 1;
  EXPECT_EQ(error_of([&] { parse_complete_issue(sample(), limits); }),
            "fields.issuelinks: has 2 entries, over the limit of 1");
}

}  // namespace
}  // namespace jirasync
