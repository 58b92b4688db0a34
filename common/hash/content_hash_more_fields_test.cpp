// The content hash over the fields added with migration 5, and the legacy
// (v1) hash that rows written before it carry.
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include <gtest/gtest.h>

#include "common/hash/content_hash.hpp"
#include "common/model/issue_parser.hpp"

namespace jirasync {
namespace {

JiraIssue parsed(const char* file) {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/common/model/testdata/" + file);
  EXPECT_TRUE(in.good()) << file;
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_issue(ss.str());
}

TEST(LegacyContentHash, IsTheEncodingEarlierVersionsStored) {
  // content_hash of sample_issue.json as every version before migration 5
  // computed it (pinned from that code): rows in caches being upgraded hold it.
  EXPECT_EQ(legacy_content_hash(parsed("sample_issue.json")),
            "af90bcd9f42bda94b25a05023c9e40574f4601d2cfd380d6636f264bc1ba8713");
  EXPECT_NE(content_hash(parsed("sample_issue.json")),
            legacy_content_hash(parsed("sample_issue.json")));
}

struct Change {
  const char* name;
  std::function<void(JiraIssue&)> apply;
};

TEST(ContentHash, EveryNewFieldChangesItButNotTheLegacyOrSignificantHash) {
  const std::vector<Change> changes = {
      {"due_date", [](JiraIssue& i) { i.due_date = "2026-03-01"; }},
      {"due_date unset", [](JiraIssue& i) { i.due_date.reset(); }},
      {"creator", [](JiraIssue& i) { i.creator->account_id = "other"; }},
      {"creator unset", [](JiraIssue& i) { i.creator.reset(); }},
      {"affected_versions", [](JiraIssue& i) { i.affected_versions.push_back("2.0"); }},
      {"environment_text", [](JiraIssue& i) { i.environment_text += "!"; }},
      {"environment_adf", [](JiraIssue& i) { i.environment_adf = "{}"; }},
      {"comment added", [](JiraIssue& i) { i.comments.push_back(i.comments[0]); }},
      {"comment body", [](JiraIssue& i) { i.comments[0].body_text = "edited"; }},
      {"comment body adf", [](JiraIssue& i) { i.comments[0].body_adf = "{}"; }},
      {"comment updated", [](JiraIssue& i) { i.comments[0].updated_ms += 1; }},
      {"comment author",
       [](JiraIssue& i) {
         i.comments[1].author = JiraUser{"a", "A"};
       }},
      {"comment removed", [](JiraIssue& i) { i.comments.pop_back(); }},
      {"link type", [](JiraIssue& i) { i.links[0].type_name = "Clones"; }},
      {"link direction", [](JiraIssue& i) { i.links[0].direction = "inward"; }},
      {"link other", [](JiraIssue& i) { i.links[0].other_key = "WRKA-51"; }},
      {"link removed", [](JiraIssue& i) { i.links.pop_back(); }},
      {"subtask added",
       [](JiraIssue& i) {
         i.subtasks.push_back({"1", "WRKA-1"});
       }},
      {"subtask key", [](JiraIssue& i) { i.subtasks[0].key = "WRKB-1"; }},
      {"attachment size", [](JiraIssue& i) { i.attachments[0].size_bytes += 1; }},
      {"attachment name", [](JiraIssue& i) { i.attachments[0].filename = "x.log"; }},
      {"attachment removed", [](JiraIssue& i) { i.attachments.clear(); }},
      {"time spent", [](JiraIssue& i) { i.time_tracking.time_spent_s = 1; }},
      {"estimate unset", [](JiraIssue& i) { i.time_tracking.original_estimate_s.reset(); }},
      {"remaining", [](JiraIssue& i) { i.time_tracking.remaining_estimate_s = 0; }},
  };
  const JiraIssue base = parsed("more_fields_issue.json");
  for (const auto& change : changes) {
    JiraIssue changed = base;
    change.apply(changed);
    ASSERT_NE(changed, base) << change.name;
    EXPECT_NE(content_hash(changed), content_hash(base)) << change.name;
    EXPECT_EQ(legacy_content_hash(changed), legacy_content_hash(base)) << change.name;
    EXPECT_EQ(significant_hash(changed), significant_hash(base)) << change.name;
  }
}

TEST(ContentHash, ListBoundariesAreUnambiguous) {
  JiraIssue a = parsed("more_fields_issue.json");
  JiraIssue b = a;
  // The same strings split differently between two comments.
  a.comments[0].body_text = "ab";
  a.comments[1].body_text = "c";
  b.comments[0].body_text = "a";
  b.comments[1].body_text = "bc";
  EXPECT_NE(content_hash(a), content_hash(b));
}

}  // namespace
}  // namespace jirasync
