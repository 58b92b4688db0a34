#include "common/jira/issue_list_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jirasync {
namespace {

std::string nested_arrays(int depth) {
  return std::string(static_cast<size_t>(depth), '[') +
         std::string(static_cast<size_t>(depth), ']');
}

std::string error_of(const std::string& body) {
  try {
    read_issue_list(body);
  } catch (const IssueListError& e) {
    return e.what();
  }
  return "<none>";
}

TEST(IssueListReaderTest, KeepsEachIssueByteForByteAndReadsItsHead) {
  // Whitespace, escapes, nested "id"/"updated" members and a number RapidJSON
  // would print differently: the text must come back exactly as sent.
  const std::string first =
      R"({ "id" : "10001", "key":"A-1", "x": 1e2, "fields": {"parent": {"id": "9", "key": "A-0",)"
      R"( "fields": {"updated": "1999"}}, "summary": "tab\t \u00e9 \"q\" }", "updated":)"
      R"( "2025-01-02T10:30:00.000+0900"}})";
  const std::string second = R"({"key":"A-2","id":"10002","fields":{}})";
  const std::string body = R"({"expand":"names","issues":[)" + first + " ,\n  " + second +
                           R"(],"nextPageToken":"tok-2","isLast":false,"names":{"id":"x"}})";
  const IssueList list = read_issue_list(body);
  ASSERT_TRUE(list.has_issues);
  ASSERT_EQ(list.issues.size(), 2u);
  EXPECT_EQ(list.issues[0].json, first);
  EXPECT_EQ(list.issues[0].id, "10001");
  EXPECT_EQ(list.issues[0].key, "A-1");
  EXPECT_EQ(list.issues[0].updated, "2025-01-02T10:30:00.000+0900");
  EXPECT_EQ(list.issues[1].json, second);
  EXPECT_EQ(list.issues[1].id, "10002");
  EXPECT_EQ(list.issues[1].updated, "");
  EXPECT_EQ(list.next_page_token, "tok-2");
  EXPECT_EQ(list.is_last, false);
  EXPECT_FALSE(list.has_issue_errors);
}

TEST(IssueListReaderTest, IssuesWithoutStringIdsStillTravel) {
  const IssueList list = read_issue_list(R"({"issues":[{"id":7,"key":null,"fields":[]}]})");
  ASSERT_EQ(list.issues.size(), 1u);
  EXPECT_EQ(list.issues[0].id, "");
  EXPECT_EQ(list.issues[0].key, "");
  EXPECT_EQ(list.issues[0].json, R"({"id":7,"key":null,"fields":[]})");
  EXPECT_FALSE(list.is_last.has_value());
}

TEST(IssueListReaderTest, ArraysInsideAnIssueDoNotEndTheList) {
  const IssueList list = read_issue_list(
      R"({"issues":[{"id":"1","fields":{"labels":["a",["b"]]}},{"id":"2","fields":{}}],)"
      R"("isLast":true})");
  ASSERT_EQ(list.issues.size(), 2u);
  EXPECT_EQ(list.issues[1].id, "2");
  EXPECT_EQ(list.is_last, true);
}

TEST(IssueListReaderTest, ReadsBulkFetchIssueErrors) {
  const IssueList list = read_issue_list(
      R"({"issues":[],"issueErrors":[{"id":"A-9","errorMessages":["gone"]},{"id":10042}]})");
  EXPECT_TRUE(list.has_issue_errors);
  EXPECT_EQ(list.error_ids, (std::vector<std::string>{"A-9", "10042"}));
}

TEST(IssueListReaderTest, NamesWhatIsWrong) {
  EXPECT_EQ(error_of("[]"), "expected a JSON object");
  EXPECT_EQ(error_of("42"), "expected a JSON object");
  EXPECT_EQ(error_of(R"({"issues":{}})"), "`issues` is not an array");
  EXPECT_EQ(error_of(R"({"issues":"x"})"), "`issues` is not an array");
  EXPECT_EQ(error_of(R"({"issues":[{}, 3]})"), "issues[1] is not an object");
  EXPECT_EQ(error_of(R"({"issues":[[]]})"), "issues[0] is not an object");
  EXPECT_EQ(error_of(R"({"issues":["x"]})"), "issues[0] is not an object");
  EXPECT_EQ(error_of(R"({"issues":[],"nextPageToken":5})"), "`nextPageToken` is not a string");
  EXPECT_EQ(error_of(R"({"issues":[],"isLast":"yes"})"), "`isLast` is not a boolean");
  EXPECT_EQ(error_of(R"({"issues":[],"issueErrors":{}})"), "`issueErrors` is not an array");
  EXPECT_EQ(error_of(R"({"issues":[],"issueErrors":[{"x":1}]})"), "issueErrors[0] has no `id`");
  EXPECT_EQ(error_of(R"({"issues":[],"issueErrors":[{"id":"1"},"y"]})"),
            "issueErrors[1] has no `id`");
  EXPECT_EQ(error_of(R"({"issues":[],"issueErrors":[{"id":1.5}]})"),
            "issueErrors[0].id is neither a string nor an integer");
  EXPECT_EQ(error_of(R"({"issues":[],"issueErrors":[{"id":{}}]})"),
            "issueErrors[0].id is neither a string nor an integer");
  EXPECT_EQ(error_of(R"({"issues":[{"id":"1"})"),
            "malformed JSON at offset 21: Missing a comma or ']' after an array element.");
}

TEST(IssueListReaderTest, RefusesInvalidUtf8AndDeepNesting) {
  EXPECT_EQ(error_of("{\"issues\":[{\"s\":\"\xC3\x28\"}]}"),
            "invalid UTF-8 or a NUL byte at offset 17");
  EXPECT_EQ(error_of(std::string("{\"issues\":[]}\0{", 16)),
            "invalid UTF-8 or a NUL byte at offset 13");
  // Outside an issue, nesting past the limit fails the page.
  EXPECT_EQ(error_of(R"({"issues":[],"names":)" + nested_arrays(600) + "}"),
            "JSON nested deeper than 512 levels");
}

TEST(IssueListReaderTest, AnIssueTooDeepIsMarkedAndTheRestOfThePageIsRead) {
  const std::string first = R"({"id":"1","key":"A-1","fields":{}})";
  // id and key after the deep field: the reader must get past it to see them.
  const std::string deep = R"({"fields":{"updated":"2025-01-02T10:30:00.000+0000","description":)" +
                           nested_arrays(600) + R"(},"id":"2","key":"A-2"})";
  const std::string last = R"({"id":"3","key":"A-3","fields":{}})";
  const IssueList list =
      read_issue_list(R"({"issues":[)" + first + "," + deep + "," + last + R"(],"isLast":true})");
  ASSERT_EQ(list.issues.size(), 3u);
  EXPECT_EQ(list.issues[0].json, first);
  EXPECT_EQ(list.issues[0].unreadable, "");
  EXPECT_EQ(list.issues[1].id, "2");
  EXPECT_EQ(list.issues[1].key, "A-2");
  EXPECT_EQ(list.issues[1].updated, "2025-01-02T10:30:00.000+0000");
  EXPECT_EQ(list.issues[1].unreadable, "JSON nested deeper than 512 levels");
  EXPECT_EQ(list.issues[1].json, "") << "a too-deep issue must not travel as JSON";
  EXPECT_EQ(list.issues[2].json, last);
  EXPECT_EQ(list.is_last, true);
}

TEST(IssueListReaderTest, TheIssueLimitCountsTheIssueObjectAsOneLevel) {
  // The issue object, "fields" and "x": 3 levels, then `n` arrays.
  auto page = [](int n) {
    return R"({"issues":[{"id":"1","fields":{"x":)" + nested_arrays(n) + "}}]}";
  };
  EXPECT_EQ(read_issue_list(page(510)).issues[0].unreadable, "");
  EXPECT_EQ(read_issue_list(page(511)).issues[0].unreadable, "JSON nested deeper than 512 levels");
}

TEST(IssueListReaderTest, HostileBodiesFailThePageWithoutCrashing) {
  EXPECT_EQ(error_of(std::string(150000, '[')), "expected a JSON object");
  std::string objects;
  for (int i = 0; i < 30000; ++i) objects += R"({"a":)";
  EXPECT_EQ(error_of(objects), "JSON nested deeper than 512 levels");
  // Deep inside an issue and cut off: read to the end, then refused as malformed.
  const std::string cut = R"({"issues":[{"a":)" + std::string(150000, '[');
  EXPECT_EQ(error_of(cut).rfind("malformed JSON at offset 150016", 0), 0u) << error_of(cut);
  // The same depth, closed: one unreadable issue, no crash.
  const IssueList list =
      read_issue_list(R"({"issues":[{"id":"9","a":)" + nested_arrays(150000) + "}]}");
  ASSERT_EQ(list.issues.size(), 1u);
  EXPECT_EQ(list.issues[0].id, "9");
  EXPECT_NE(list.issues[0].unreadable, "");
}

TEST(IssueListReaderTest, ReadsOneIssueOnItsOwn) {
  const std::string json =
      R"({"id":"5","key":"B-5","fields":{"updated":"2025-01-02T10:30:00.000+0000"}})";
  const IssueText text = read_issue_text(json);
  EXPECT_EQ(text.json, json);
  EXPECT_EQ(text.id, "5");
  EXPECT_EQ(text.key, "B-5");
  EXPECT_EQ(text.updated, "2025-01-02T10:30:00.000+0000");
  EXPECT_THROW(read_issue_text("[1]"), IssueListError);
}

TEST(IssueListReaderTest, OneIssueTooDeepOnItsOwnIsMarked) {
  const IssueText text =
      read_issue_text(R"({"id":"5","key":"B-5","x":)" + nested_arrays(600) + "}");
  EXPECT_EQ(text.id, "5");
  EXPECT_EQ(text.key, "B-5");
  EXPECT_EQ(text.unreadable, "JSON nested deeper than 512 levels");
  EXPECT_EQ(text.json, "");
}

TEST(IssueListReaderTest, ReadsTheInlineCommentPagesShape) {
  // A comment's own "comments"/"total" members and nested objects do not count.
  const std::string body =
      R"({"issues":[)"
      R"({"id":"1","fields":{"comment":{"startAt":0,"total":3,"comments":[)"
      R"({"id":"c1","body":{"comments":[1,2],"total":9}},{"id":"c2"},{"id":"c3"}]}}},)"
      R"({"id":"2","fields":{"comment":{"comments":[{"id":"c1"}],"maxResults":1,"total":25}}},)"
      R"({"id":"3","fields":{"summary":"no comment member"}},)"
      R"({"id":"4","fields":{"comment":{"total":"7","comments":{}}}},)"
      R"({"id":"5","fields":{"comment":{"total":2,"comments":[{"id":"a"}]},)"
      R"("comment":{"total":0,"comments":[]}}})"
      R"(]})";
  const IssueList list = read_issue_list(body);
  ASSERT_EQ(list.issues.size(), 5u);
  EXPECT_EQ(list.issues[0].comment_total, 3);
  EXPECT_EQ(list.issues[0].comments_listed, 3);
  EXPECT_EQ(list.issues[1].comment_total, 25);
  EXPECT_EQ(list.issues[1].comments_listed, 1);
  EXPECT_EQ(list.issues[2].comment_total, -1);
  EXPECT_EQ(list.issues[2].comments_listed, -1);
  EXPECT_EQ(list.issues[3].comment_total, -1) << "a total that is not an integer is unknown";
  EXPECT_EQ(list.issues[3].comments_listed, -1) << "comments that are not an array are unknown";
  // As a parsed document reads a member named twice: the first one.
  EXPECT_EQ(list.issues[4].comment_total, 2);
  EXPECT_EQ(list.issues[4].comments_listed, 1);
}

}  // namespace
}  // namespace jirasync
