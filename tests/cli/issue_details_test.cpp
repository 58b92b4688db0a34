// What `jirasync show` prints of the fields kept since migration 5.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/issue_details.hpp"
#include "cli/output_format.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

JiraIssue detailed() {
  JiraIssue i;
  i.id = "10042";
  i.key = "WRKA-42";
  i.due_date = "2026-02-01";
  i.creator = JiraUser{"acc-3", "Mia Krystof"};
  i.affected_versions = {"1.4", "1.5"};
  i.environment_text = "Safari 17\nmacOS 14";
  i.comments = {
      {"c1", JiraUser{"a", "Ada"}, "", "Seen on 1.4 too.\x1b[31m", 1768122000000, 1768122000000},
      {"c2", std::nullopt, "", "anonymous", 1768122060000, 1768122120000}};
  i.links = {{"l1", "Blocks", "outward", "blocks", "10050", "WRKA-50"},
             {"l2", "Relates", "inward", "relates to", "10007", "WRKB-7"}};
  i.subtasks = {{"10043", "WRKA-43"}};
  i.attachments = {{"a1", "console.log", "text/plain", 2048, 1768119300000, JiraUser{"a", "Ada"}}};
  i.time_tracking = {28800, 7200, 21600};
  return i;
}

TEST(IssueDetails, TableShowsEveryNewField) {
  const std::string t = issue_details_table(detailed());
  EXPECT_THAT(t, HasSubstr("due       2026-02-01"));
  EXPECT_THAT(t, HasSubstr("creator   Mia Krystof"));
  EXPECT_THAT(t, HasSubstr("affects   1.4, 1.5"));
  EXPECT_THAT(t, HasSubstr("environment  Safari 17"));
  EXPECT_THAT(t, HasSubstr("time      estimate 8h, remaining 2h, spent 6h"));
  EXPECT_THAT(t, HasSubstr("blocks WRKA-50"));
  EXPECT_THAT(t, HasSubstr("relates to WRKB-7"));
  EXPECT_THAT(t, HasSubstr("sub-tasks: WRKA-43"));
  EXPECT_THAT(t, HasSubstr("console.log (text/plain, 2048 bytes"));
  EXPECT_THAT(t, HasSubstr("comments (2):"));
  EXPECT_THAT(t, HasSubstr("Ada  2026-01-11"));
  EXPECT_THAT(t, HasSubstr("(edited"));  // c2 was edited after it was written
  // Text from Jira never reaches the terminal as an escape sequence.
  EXPECT_THAT(t, Not(HasSubstr("\x1b")));
}

TEST(IssueDetails, NothingSetPrintsNothing) {
  EXPECT_EQ(issue_details_table(JiraIssue{}), "");
}

TEST(IssueDetails, JsonCarriesEveryNewField) {
  JsonOut j;
  j.begin_object();
  write_issue_details_json(j, detailed());
  const std::string json = j.end_object().str();
  EXPECT_THAT(json, HasSubstr(R"("due_date":"2026-02-01")"));
  EXPECT_THAT(json, HasSubstr(R"("creator":{"account_id":"acc-3","display_name":"Mia Krystof"})"));
  EXPECT_THAT(json, HasSubstr(R"("affected_versions":["1.4","1.5"])"));
  EXPECT_THAT(json, HasSubstr(R"("environment":"Safari 17\nmacOS 14")"));
  EXPECT_THAT(json, HasSubstr(R"("time_tracking":{"original_estimate_s":28800,)"
                              R"("remaining_estimate_s":7200,"time_spent_s":21600})"));
  EXPECT_THAT(json, HasSubstr(R"({"id":"l1","type":"Blocks","direction":"outward",)"
                              R"("label":"blocks","issue_id":"10050","issue_key":"WRKA-50"})"));
  EXPECT_THAT(json, HasSubstr(R"("subtasks":[{"id":"10043","key":"WRKA-43"}])"));
  EXPECT_THAT(json, HasSubstr(R"("filename":"console.log","mime_type":"text/plain",)"
                              R"("size_bytes":2048)"));
  EXPECT_THAT(json, HasSubstr(R"("id":"c2","author":null,"body":"anonymous")"));
  JsonOut empty;
  empty.begin_object();
  write_issue_details_json(empty, JiraIssue{});
  EXPECT_THAT(empty.end_object().str(), HasSubstr(R"("due_date":null,"creator":null)"));
}

}  // namespace
}  // namespace jirasync
