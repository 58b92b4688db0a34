// Rendering an issue as Jira's IssueBean through the fragment cache and the
// memcpy writers gives the bytes the plain writer gives.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/api/jira_compat/jira_issue_json.hpp"
#include "services/api/jira_compat/jira_json_output.hpp"

namespace jirasync {
namespace {

std::string rendered(const std::vector<JiraIssue>& issues, const JiraRenderContext& ctx,
                     const std::string& fields = "*all") {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const auto& i : issues)
    write_jira_issue(w, i, JiraFieldSelection::parse({fields}, "id"), ctx);
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Names that share one part of a fragment's key and differ in the other.
std::vector<JiraIssue> issues_with_look_alikes() {
  JiraIssue a;
  a.id = "101";
  a.key = "P-1";
  a.project_key = "P";
  a.project_id = "10000";
  a.issue_type = "Task";
  a.status = "Done";
  a.status_category = "done";
  a.priority = "High";
  a.assignee = JiraUser{"acc-1", "Ada \"the\" Lovelace\\"};
  a.reporter = JiraUser{"acc-1", "Ada\x01 renamed"};
  a.creator = JiraUser{"acc-2", "Grace"};
  a.labels = {"x\ty", "plain"};
  a.components = {"web", "we\"b"};
  a.fix_versions = {"1.0"};
  a.affected_versions = {"1.0", "2.0"};
  a.resolution = "Fixed";
  a.summary = "Summary with \"quotes\", a tab\t and ünïcode";
  a.description_adf = R"({"type":"doc","version":1,"content":[]})";
  a.description_text = "text";
  a.created_ms = 1'700'000'000'123;
  a.updated_ms = 1'700'000'100'000;
  a.resolution_date_ms = 1'700'000'200'000;
  a.links = {JiraIssueLink{"1", "Blocks", "outward", "blocks", "102", "P-2"},
             JiraIssueLink{"2", "Blocks", "inward", "is blocked by", "102", "P-2"},
             JiraIssueLink{"3", "Custom", "inward", "custom in", "103", "P-3"},
             JiraIssueLink{"4", "Custom", "inward", "custom\nother", "103", "P-3"}};
  a.subtasks = {JiraSubtaskRef{"102", "P-2"}};
  a.comments = {JiraComment{"9", JiraUser{"acc-1", "Ada \"the\" Lovelace\\"}, "", "c", 1, 2},
                JiraComment{"10", std::nullopt, R"({"type":"doc"})", "d", 3, 4}};
  a.attachments = {
      JiraAttachment{"7", "a\"b.txt", "text/plain", 12, 5, JiraUser{"acc-2", "Grace"}}};
  a.custom_fields = {{"customfield_1", "3.0"}, {"customfield_2", R"({"value":"Gold"})"}};
  a.time_tracking.original_estimate_s = 3600;
  JiraIssue b = a;
  b.id = "102";
  b.key = "P-2";
  b.status_category = "indeterminate";  // same status name, other category
  b.subtask = true;                     // same type name, a sub-task
  b.project_key = "Q";                  // same project id, other key
  b.priority = "Highest";
  b.assignee = JiraUser{"acc-3", "Ada \"the\" Lovelace\\"};  // same name, other account
  b.resolution = std::nullopt;
  return {a, b};
}

JiraRenderContext context(const std::vector<JiraIssue>& issues, bool fragments) {
  JiraRenderContext ctx;
  ctx.base_url = "http://h:1";
  ctx.time_zone = "Asia/Kolkata";
  auto by_key = std::make_shared<std::map<std::string, JiraIssue>>();
  for (const auto& i : issues) (*by_key)[i.key] = i;
  ctx.related = [by_key](const std::string& key) -> const JiraIssue* {
    auto it = by_key->find(key);
    return it == by_key->end() ? nullptr : &it->second;
  };
  if (fragments) ctx.fragments = std::make_shared<JiraFragmentCache>();
  return ctx;
}

TEST(JiraIssueJson, TheFragmentCacheWritesWhatRenderingEachTimeWrites) {
  const auto issues = issues_with_look_alikes();
  for (int version : {2, 3}) {
    JiraRenderContext plain = context(issues, false);
    JiraRenderContext cached = context(issues, true);
    plain.api_version = cached.api_version = version;
    const std::string expected = rendered(issues, plain);
    EXPECT_EQ(rendered(issues, cached), expected) << version;
    EXPECT_EQ(rendered(issues, cached), expected) << "from the filled cache, v" << version;
  }
  // Each issue has its own status, type, project, priority and assignee
  // although they share a name or an id.
  const std::string page = rendered(issues, context(issues, true));
  EXPECT_NE(page.find(R"("key":"indeterminate")"), std::string::npos);
  EXPECT_NE(page.find(R"("subtask":true)"), std::string::npos);
  EXPECT_NE(page.find(R"("key":"Q")"), std::string::npos);
  EXPECT_NE(page.find(R"("accountId":"acc-3")"), std::string::npos);
  EXPECT_NE(page.find(R"("displayName":"Ada\u0001 renamed")"), std::string::npos);
  EXPECT_NE(page.find(R"("outward":"custom\nother")"), std::string::npos);
}

TEST(JiraJsonOutput, WritesTheBytesRapidjsonWrites) {
  const std::vector<std::string> texts = {"",
                                          "plain",
                                          "quote \" in",
                                          "back\\slash",
                                          "ctl \x01\x1f",
                                          "tab\tnew\nline",
                                          "ünïcode ✓",
                                          std::string("nul\0in", 6)};
  rapidjson::StringBuffer theirs_buffer, ours_buffer;
  JsonWriter theirs(theirs_buffer), ours(ours_buffer);
  theirs.StartObject();
  ours.StartObject();
  for (const auto& t : texts) {
    theirs.Key(t.data(), static_cast<rapidjson::SizeType>(t.size()));
    write_text(ours, t);
    theirs.StartArray();
    ours.StartArray();
    theirs.String(t.data(), static_cast<rapidjson::SizeType>(t.size()));
    write_text(ours, t);
    theirs.RawValue("{\"a\":1}", 7, rapidjson::kObjectType);
    write_raw_json(ours, "{\"a\":1}");
    theirs.EndArray();
    ours.EndArray();
  }
  theirs.EndObject();
  ours.EndObject();
  EXPECT_EQ(std::string(ours_buffer.GetString(), ours_buffer.GetSize()),
            std::string(theirs_buffer.GetString(), theirs_buffer.GetSize()));
  EXPECT_TRUE(ours.IsComplete());
}

}  // namespace
}  // namespace jirasync
