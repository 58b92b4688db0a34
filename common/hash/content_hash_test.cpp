#include "common/hash/content_hash.hpp"

#include <fstream>
#include <functional>
#include <sstream>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "common/model/issue_parser.hpp"

namespace jirasync {
namespace {

std::string sample_json() {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/common/model/testdata/sample_issue.json");
  EXPECT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

JiraIssue sample() {
  return parse_issue(sample_json());
}

// Member order reversed at every level, pretty-printed with tabs.
void reverse_members(rapidjson::Value& v, rapidjson::Document::AllocatorType& a) {
  if (v.IsArray()) {
    for (auto& e : v.GetArray()) reverse_members(e, a);
    return;
  }
  if (!v.IsObject()) return;
  std::vector<std::pair<rapidjson::Value, rapidjson::Value>> members;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    reverse_members(it->value, a);
    members.emplace_back(rapidjson::Value(it->name, a), rapidjson::Value(it->value, a));
  }
  rapidjson::Value reversed(rapidjson::kObjectType);
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    reversed.AddMember(it->first, it->second, a);
  }
  v = reversed;
}

TEST(ContentHash, IsLowercaseHexSha256) {
  std::string h = content_hash(sample());
  ASSERT_EQ(h.size(), 64u);
  for (char c : h) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << h;
}

TEST(SignificantHash, MatchesTheDocumentedEncoding) {
  // Independently computed with Python's hashlib over the length-prefixed text.
  JiraIssue i;
  i.summary = "Crash";
  i.description_text = "It crashes";
  i.issue_type = "Bug";
  EXPECT_EQ(significant_hash(i),
            "08774dbd6c5a111ff29ab6603f3556ef4ac1cdcf7152be69586d07847a62bef4");
  i.summary = "é";
  i.description_text = "";
  i.issue_type = "Task";
  EXPECT_EQ(significant_hash(i),
            "a3da3a212f6fcf9cc786202fea6d0479c64678c47ce6e53d784e0c80bc1c88e7");
}

TEST(SignificantHash, LongValuesAcrossTheStreamingBufferMatchTheEncoding) {
  // The input is streamed into SHA-256 through a 4 KB buffer: values that
  // fill it, straddle it and exceed it (expected values from Python's hashlib).
  auto significant = [](std::string summary, std::string description) {
    JiraIssue i;
    i.summary = std::move(summary);
    i.description_text = std::move(description);
    i.issue_type = "Bug";
    return significant_hash(i);
  };
  EXPECT_EQ(significant(std::string(4050, 's'), std::string(10, 'd')),
            "a8618d516830a63ef21f67943cbdfc532aa01539508cdc443967e7673f2d7f0c");
  EXPECT_EQ(significant(std::string(4096, 's'), std::string(4096, 'd')),
            "2ccbb734e77aa1bab87ea737dc7853cc8faf81de7be9ffd9af04c5d2c39e380e");
  EXPECT_EQ(significant(std::string(1, 's'), std::string(9000, 'd')),
            "4000ccfcfbee29e059ca3d1ae766f8e1a9433cec62b634e946c57011f52bd3b9");
  EXPECT_EQ(significant(std::string(4060, 's'), std::string(40, 'd')),
            "59309c3237f2dd2228a6185900f56aec6a8257ec472879843806dbb7a1570e43");
}

TEST(ContentHash, KeyOrderAndWhitespaceInTheSourceDoNotMatter) {
  rapidjson::Document d;
  d.Parse(sample_json().c_str());
  reverse_members(d, d.GetAllocator());
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent('\t', 1);
  d.Accept(w);
  JiraIssue reordered = parse_issue(std::string(sb.GetString()));
  EXPECT_EQ(content_hash(reordered), content_hash(sample()));
  EXPECT_EQ(significant_hash(reordered), significant_hash(sample()));
}

TEST(ContentHash, UpdatedAloneIsNotAChange) {
  JiraIssue touched = sample();
  touched.updated_ms += 60000;
  EXPECT_EQ(content_hash(touched), content_hash(sample()));
  EXPECT_EQ(significant_hash(touched), significant_hash(sample()));
}

TEST(ContentHash, ListOrderDoesNotMatter) {
  JiraIssue shuffled = sample();
  std::reverse(shuffled.labels.begin(), shuffled.labels.end());
  std::reverse(shuffled.components.begin(), shuffled.components.end());
  shuffled.fix_versions = {"3.0", "2.4.0"};
  JiraIssue ordered = sample();
  ordered.fix_versions = {"2.4.0", "3.0"};
  ASSERT_NE(shuffled.labels, ordered.labels);
  EXPECT_EQ(content_hash(shuffled), content_hash(ordered));
}

struct FieldChange {
  const char* name;
  std::function<void(JiraIssue&)> apply;
  bool significant;
};

TEST(ContentHash, EveryFieldChangeChangesIt) {
  const std::vector<FieldChange> changes = {
      {"id", [](JiraIssue& i) { i.id = "10043"; }, false},
      {"key", [](JiraIssue& i) { i.key = "WRKB-42"; }, false},
      {"project_key", [](JiraIssue& i) { i.project_key = "WRKB"; }, false},
      {"project_id", [](JiraIssue& i) { i.project_id = "10001"; }, false},
      {"issue_type", [](JiraIssue& i) { i.issue_type = "Bug"; }, true},
      {"subtask", [](JiraIssue& i) { i.subtask = !i.subtask; }, false},
      {"status", [](JiraIssue& i) { i.status = "Done"; }, false},
      {"status_category", [](JiraIssue& i) { i.status_category = "done"; }, false},
      {"priority", [](JiraIssue& i) { i.priority = "Low"; }, false},
      {"priority unset", [](JiraIssue& i) { i.priority.reset(); }, false},
      {"priority empty", [](JiraIssue& i) { i.priority = ""; }, false},
      {"assignee id", [](JiraIssue& i) { i.assignee->account_id = "x"; }, false},
      {"assignee name", [](JiraIssue& i) { i.assignee->display_name = "J. Doe"; }, false},
      {"assignee unset", [](JiraIssue& i) { i.assignee.reset(); }, false},
      {"reporter", [](JiraIssue& i) { i.reporter->account_id = "y"; }, false},
      {"labels added", [](JiraIssue& i) { i.labels.push_back("new"); }, false},
      {"labels merged",
       [](JiraIssue& i) {
         i.labels = {"checkout;regression", "p1"};
       },
       false},
      {"components", [](JiraIssue& i) { i.components.pop_back(); }, false},
      {"fix_versions", [](JiraIssue& i) { i.fix_versions = {"2.4.1"}; }, false},
      {"parent_id", [](JiraIssue& i) { i.parent_id = "1"; }, false},
      {"parent_key", [](JiraIssue& i) { i.parent_key.reset(); }, false},
      {"resolution", [](JiraIssue& i) { i.resolution.reset(); }, false},
      {"created_ms", [](JiraIssue& i) { i.created_ms += 1; }, false},
      {"resolution_date_ms", [](JiraIssue& i) { i.resolution_date_ms.reset(); }, false},
      {"summary", [](JiraIssue& i) { i.summary += "!"; }, true},
      {"description_adf", [](JiraIssue& i) { i.description_adf = "{}"; }, false},
      {"description_text", [](JiraIssue& i) { i.description_text += " more"; }, true},
      {"custom field value", [](JiraIssue& i) { i.custom_fields["customfield_10016"] = "8.0"; },
       false},
      {"custom field added", [](JiraIssue& i) { i.custom_fields["customfield_1"] = "1"; }, false},
      {"custom field removed", [](JiraIssue& i) { i.custom_fields.erase("customfield_10016"); },
       false},
  };
  const JiraIssue base = sample();
  for (const auto& change : changes) {
    JiraIssue changed = base;
    change.apply(changed);
    ASSERT_NE(changed, base) << change.name;
    EXPECT_NE(content_hash(changed), content_hash(base)) << change.name;
    if (change.significant) {
      EXPECT_NE(significant_hash(changed), significant_hash(base)) << change.name;
    } else {
      EXPECT_EQ(significant_hash(changed), significant_hash(base)) << change.name;
    }
  }
}

TEST(ContentHash, BoundariesBetweenFieldsAreUnambiguous) {
  JiraIssue a = sample();
  JiraIssue b = sample();
  a.summary = "ab";
  a.description_text = "c";
  b.summary = "a";
  b.description_text = "bc";
  EXPECT_NE(content_hash(a), content_hash(b));
  EXPECT_NE(significant_hash(a), significant_hash(b));
}

}  // namespace
}  // namespace jirasync
