#include "services/fetcher/comment_completion.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/model/issue_parser.hpp"

namespace jirasync {
namespace {

std::string comment(int n) {
  return R"({"id":")" + std::to_string(n) + R"(","body":"c)" + std::to_string(n) +
         R"(","created":"2026-01-01T00:00:00.000+0000"})";
}

// An issue whose search result shows the first `shown` of `total` comments.
IssueText issue_showing(int shown, int total) {
  std::string comments;
  for (int i = 1; i <= shown; ++i) comments += (i > 1 ? "," : "") + comment(i);
  IssueText t;
  t.id = "10001";
  t.key = "WRKA-1";
  t.json = R"({"id":"10001","key":"WRKA-1","fields":{"summary":"s","customfield_1":1.10,)"
           R"("comment":{"comments":[)" +
           comments + R"(],"maxResults":)" + std::to_string(shown) + R"(,"total":)" +
           std::to_string(total) + R"(,"startAt":0}}})";
  return t;
}

// Jira's comment endpoint over `total` comments, `page` a page.
struct CommentSource {
  explicit CommentSource(int total_comments, int page_size = kCommentPageSize)
      : total(total_comments), page(page_size) {}
  int total;
  int page;
  std::vector<int64_t> asked;
  CommentPage operator()(int64_t start) {
    asked.push_back(start);
    CommentPage p;
    p.total = total;
    for (int64_t i = start; i < std::min<int64_t>(total, start + page); ++i) {
      p.comments.push_back(comment(static_cast<int>(i) + 1));
      p.ids.push_back(std::to_string(i + 1));
    }
    return p;
  }
};

TEST(CommentCompletion, FetchesTheRestPageByPageAndKeepsEverything) {
  IssueText issue = issue_showing(20, 120);
  CommentSource jira(120, 50);
  EXPECT_EQ(complete_comments(issue, std::ref(jira)), 3);
  EXPECT_EQ(jira.asked, (std::vector<int64_t>{0, 50, 100}));
  const JiraIssue parsed = parse_issue(issue.json);
  ASSERT_EQ(parsed.comments.size(), 120u);
  EXPECT_EQ(parsed.comments[0].id, "1");
  EXPECT_EQ(parsed.comments[119].id, "120");
  EXPECT_EQ(parsed.comments[119].body_text, "c120");
  // The rest of the issue is as Jira sent it (numbers exactly too).
  EXPECT_EQ(parsed.summary, "s");
  EXPECT_EQ(parsed.custom_fields.at("customfield_1"), "1.1");
  EXPECT_NE(issue.json.find(R"("maxResults":120,"total":120,"startAt":0)"), std::string::npos);
}

TEST(CommentCompletion, ACompleteInlineListCostsNoRequest) {
  for (IssueText issue : {issue_showing(3, 3), issue_showing(0, 0)}) {
    const std::string before = issue.json;
    CommentSource jira(3);
    EXPECT_EQ(complete_comments(issue, std::ref(jira)), 0);
    EXPECT_TRUE(jira.asked.empty());
    EXPECT_EQ(issue.json, before);
  }
  IssueText no_comment_field;
  no_comment_field.id = "1";
  no_comment_field.json = R"({"id":"1","key":"A-1","fields":{"summary":"s"}})";
  CommentSource jira(3);
  EXPECT_EQ(complete_comments(no_comment_field, std::ref(jira)), 0);
  IssueText unreadable = issue_showing(1, 5);
  unreadable.json.pop_back();  // the reconciler dead-letters it with the reason
  EXPECT_EQ(complete_comments(unreadable, std::ref(jira)), 0);
  EXPECT_TRUE(jira.asked.empty());
}

TEST(CommentCompletion, ThePageReadersCountDecidesWithoutParsingTheIssue) {
  // Read from a page, an issue carries its inline comment count: an issue
  // that shows every comment is not parsed again (the count is trusted, so
  // a made-up count that says "complete" costs no request either).
  IssueText trusted = issue_showing(20, 120);
  trusted.comment_total = 3;
  trusted.comments_listed = 3;
  CommentSource jira(120, 50);
  EXPECT_EQ(complete_comments(trusted, std::ref(jira)), 0);
  EXPECT_TRUE(jira.asked.empty());

  // One that shows only some is completed as before.
  const IssueList page = read_issue_list(R"({"issues":[)" + issue_showing(20, 120).json + "]}");
  ASSERT_EQ(page.issues.size(), 1u);
  IssueText read = page.issues[0];
  EXPECT_EQ(read.comment_total, 120);
  EXPECT_EQ(read.comments_listed, 20);
  CommentSource all(120, 50);
  EXPECT_EQ(complete_comments(read, std::ref(all)), 3);
  EXPECT_EQ(parse_issue(read.json).comments.size(), 120u);
}

TEST(CommentCompletion, ACommentAddedBetweenPagesIsKeptOnce) {
  IssueText issue = issue_showing(2, 4);
  int calls = 0;
  auto jira = [&](int64_t start) {
    ++calls;
    // The second answer starts one comment early: one was added in front.
    CommentSource source(5, 3);
    return source(start == 0 ? 0 : start - 1);
  };
  EXPECT_EQ(complete_comments(issue, jira), 2);
  const JiraIssue parsed = parse_issue(issue.json);
  ASSERT_EQ(parsed.comments.size(), 5u);
  EXPECT_EQ(parsed.comments[4].id, "5");
}

TEST(CommentCompletion, PagesThatNeverEndAreAnError) {
  IssueText issue = issue_showing(1, 10);
  auto stuck = [](int64_t) {
    CommentPage p;
    p.total = 1'000'000;
    p.comments = {comment(1)};
    p.ids = {"1"};
    return p;
  };
  EXPECT_THROW(complete_comments(issue, stuck), std::runtime_error);
}

}  // namespace
}  // namespace jirasync
