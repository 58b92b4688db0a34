#include "common/model/issue_parser.hpp"

#include <fstream>
#include <functional>
#include <sstream>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(JIRASYNC_SOURCE_DIR) + "/common/model/testdata/" + name);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sample() {
  return read_testdata("sample_issue.json");
}

std::string write(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return sb.GetString();
}

// The sample with the value at `pointer` replaced by `value_json`, or removed
// when `value_json` is null.
std::string mutated(const char* pointer, const char* value_json) {
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
  return write(d);
}

std::string error_field(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<no error>";
}

// Member order reversed at every level.
void reverse_members(rapidjson::Value& v, rapidjson::Document::AllocatorType& a) {
  if (v.IsArray()) {
    for (auto& e : v.GetArray()) reverse_members(e, a);
    return;
  }
  if (!v.IsObject()) return;
  rapidjson::Value reversed(rapidjson::kObjectType);
  std::vector<std::pair<rapidjson::Value, rapidjson::Value>> members;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    reverse_members(it->value, a);
    members.emplace_back(rapidjson::Value(it->name, a), rapidjson::Value(it->value, a));
  }
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    reversed.AddMember(it->first, it->second, a);
  }
  v = reversed;
}

TEST(ParseIssue, ReadsEveryMember) {
  JiraIssue i = parse_issue(sample());
  EXPECT_EQ(i.id, "10042");
  EXPECT_EQ(i.key, "WRKA-42");
  EXPECT_EQ(i.project_key, "WRKA");
  EXPECT_EQ(i.project_id, "10000");
  EXPECT_EQ(i.issue_type, "Sub-task");
  EXPECT_TRUE(i.subtask);
  EXPECT_EQ(i.status, "In Progress");
  EXPECT_EQ(i.status_category, "indeterminate");
  EXPECT_EQ(i.priority, "High");
  EXPECT_EQ(i.assignee, (JiraUser{"557058:aaaa-1111", "Jane Doe"}));
  EXPECT_EQ(i.reporter, (JiraUser{"557058:bbbb-2222", "Ömer Şahin"}));
  EXPECT_EQ(i.labels, (std::vector<std::string>{"checkout", "regression", "p1"}));
  EXPECT_EQ(i.components, (std::vector<std::string>{"Cart", "Payments"}));
  EXPECT_EQ(i.fix_versions, (std::vector<std::string>{"2.4.0"}));
  EXPECT_EQ(i.parent_id, "10040");
  EXPECT_EQ(i.parent_key, "WRKA-40");
  EXPECT_EQ(i.resolution, "Fixed");
  EXPECT_EQ(i.created_ms, 1709630130123);
  EXPECT_EQ(i.updated_ms, 1709730000000);
  EXPECT_EQ(i.resolution_date_ms, 1709726400000);
  EXPECT_EQ(i.summary, "Checkout fails for carts over 100 items");
  EXPECT_EQ(i.description_text,
            "Steps to reproduce:\n\n1. Add 101 items\n2. Click Pay\n\n@Jane Doe please look 🙏");
  EXPECT_EQ(i.description_adf.rfind(R"({"content":[{"content":[{"text":"Steps to reproduce:")", 0),
            0u)
      << i.description_adf;
  EXPECT_NE(i.description_adf.find(R"("type":"doc","version":1})"), std::string::npos);
  EXPECT_EQ(i.custom_fields.size(), 3u);  // customfield_10030 is null
  EXPECT_EQ(i.custom_fields.at("customfield_10016"), "5.0");
  EXPECT_EQ(i.custom_fields.at("customfield_10020"),
            R"([{"boardId":1,"id":7,"name":"Sprint 7","state":"active"}])");
  EXPECT_EQ(
      i.custom_fields.at("customfield_10031"),
      R"({"id":"10300","self":"https://example.atlassian.net/rest/api/3/customFieldOption/10300","value":"EMEA"})");
}

TEST(ParseIssue, KeyOrderAndWhitespaceDoNotMatter) {
  rapidjson::Document d;
  d.Parse(sample().c_str());
  reverse_members(d, d.GetAllocator());
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent('\t', 3);
  d.Accept(w);
  std::string reordered = sb.GetString();
  ASSERT_NE(reordered, sample());
  ASSERT_LT(reordered.find("\"fields\""), reordered.find("\"id\""));  // really reordered
  EXPECT_EQ(parse_issue(reordered), parse_issue(sample()));
  EXPECT_EQ(parse_issue(write(d)), parse_issue(sample()));
}

TEST(ParseIssue, ValueOverloadAgreesWithText) {
  rapidjson::Document d;
  d.Parse(sample().c_str());
  EXPECT_EQ(parse_issue(d, ParseLimits{}), parse_issue(sample()));
}

TEST(ParseIssue, UnsetOptionalsAreEmpty) {
  std::string json = mutated("/fields/priority", "null");
  rapidjson::Document d;
  d.Parse(json.c_str());
  for (const char* p : {"/fields/assignee", "/fields/resolution", "/fields/resolutiondate",
                        "/fields/description", "/fields/parent", "/fields/labels"}) {
    rapidjson::Pointer(p).Set(d, rapidjson::Value());
  }
  JiraIssue i = parse_issue(write(d));
  EXPECT_FALSE(i.priority);
  EXPECT_FALSE(i.assignee);
  EXPECT_TRUE(i.reporter);
  EXPECT_FALSE(i.resolution);
  EXPECT_FALSE(i.resolution_date_ms);
  EXPECT_FALSE(i.parent_id);
  EXPECT_FALSE(i.parent_key);
  EXPECT_TRUE(i.labels.empty());
  EXPECT_EQ(i.description_adf, "");
  EXPECT_EQ(i.description_text, "");
}

TEST(ParseIssue, PlainStringDescriptionIsWrappedAsAdf) {
  JiraIssue i = parse_issue(mutated("/fields/description", R"("Old style\ntext  ")"));
  EXPECT_EQ(i.description_text, "Old style\ntext");
  EXPECT_EQ(
      i.description_adf,
      R"({"content":[{"content":[{"text":"Old style\ntext  ","type":"text"}],"type":"paragraph"}],"type":"doc","version":1})");
  EXPECT_EQ(parse_issue(mutated("/fields/description", R"("")")).description_adf, "");
}

TEST(ParseIssue, IntegerTimestampsAreEpochMillis) {
  EXPECT_EQ(parse_issue(mutated("/fields/updated", "1709730000001")).updated_ms, 1709730000001);
}

TEST(ParseIssue, IdOnlyIssueParsesToIdAndKey) {
  JiraIssue i = parse_issue(R"({"id":"10001","key":"WRKA-1"})");
  JiraIssue expected;
  expected.id = "10001";
  expected.key = "WRKA-1";
  EXPECT_EQ(i, expected);
}

TEST(ParseIssueRef, ReadsIdentityIgnoringFields) {
  rapidjson::Document d;
  d.Parse(R"({"id":"7","key":"A-7","fields":{"updated":"nonsense"}})");
  EXPECT_EQ(parse_issue_ref(d), (IssueRef{"7", "A-7"}));
  d.Parse(R"({"id":"x7","key":"A-7"})");
  EXPECT_EQ(error_field([&] { parse_issue_ref(d); }), "id");
}

TEST(ParseCompleteIssue, AcceptsAFullIssue) {
  EXPECT_EQ(parse_complete_issue(sample()), parse_issue(sample()));
}

TEST(ParseCompleteIssue, NamesEachMissingCoreField) {
  const std::pair<const char*, const char*> cases[] = {
      {"/fields/updated", "fields.updated"},
      {"/fields/created", "fields.created"},
      {"/fields/project/key", "fields.project.key"},
      {"/fields/project", "fields.project"},
      {"/fields/summary", "fields.summary"},
      {"/fields/issuetype/name", "fields.issuetype.name"},
      {"/fields/status/name", "fields.status.name"},
      {"/fields", "fields"},
  };
  for (const auto& [pointer, field] : cases) {
    std::string json = mutated(pointer, nullptr);
    EXPECT_EQ(error_field([&] { parse_complete_issue(json); }), field) << pointer;
    EXPECT_EQ(error_field([&] { parse_complete_issue(mutated(pointer, "null")); }), field)
        << pointer;
  }
}

struct BadValue {
  const char* pointer;
  const char* value;  // nullptr: removed
  const char* field;
};

TEST(ParseIssue, EachValidationErrorNamesTheField) {
  const BadValue cases[] = {
      {"/id", nullptr, "id"},
      {"/id", "42", "id"},
      {"/id", R"("12a")", "id"},
      {"/id", R"("")", "id"},
      {"/key", nullptr, "key"},
      {"/key", R"("")", "key"},
      {"/key", "[]", "key"},
      {"/fields", R"("x")", "fields"},
      {"/fields/updated", R"("garbage")", "fields.updated"},
      {"/fields/updated", "1.5", "fields.updated"},
      {"/fields/updated", "true", "fields.updated"},
      {"/fields/updated", R"("2024-03-05T10:15:30.123")", "fields.updated"},
      {"/fields/created", R"("2023-02-29T00:00:00.000Z")", "fields.created"},
      {"/fields/resolutiondate", R"("yesterday")", "fields.resolutiondate"},
      {"/fields/project", R"("WRKA")", "fields.project"},
      {"/fields/project/key", nullptr, "fields.project.key"},
      {"/fields/project/id", "10000", "fields.project.id"},
      {"/fields/summary", "7", "fields.summary"},
      {"/fields/issuetype/name", nullptr, "fields.issuetype.name"},
      {"/fields/issuetype/subtask", R"("yes")", "fields.issuetype.subtask"},
      {"/fields/status/name", "null", "fields.status.name"},
      {"/fields/status/statusCategory/key", "3", "fields.status.statusCategory.key"},
      {"/fields/priority/name", nullptr, "fields.priority.name"},
      {"/fields/resolution", "[]", "fields.resolution"},
      {"/fields/assignee/accountId", nullptr, "fields.assignee.accountId"},
      {"/fields/assignee/displayName", "{}", "fields.assignee.displayName"},
      {"/fields/reporter", R"("someone")", "fields.reporter"},
      {"/fields/labels", R"("checkout")", "fields.labels"},
      {"/fields/labels", R"(["a","b","c",4])", "fields.labels[3]"},
      {"/fields/components/1/name", "5", "fields.components[1].name"},
      {"/fields/components/0", R"("Cart")", "fields.components[0]"},
      {"/fields/fixVersions/0/name", nullptr, "fields.fixVersions[0].name"},
      {"/fields/parent/key", nullptr, "fields.parent.key"},
      {"/fields/description", "5", "fields.description"},
      {"/fields/description/content", R"("x")", "fields.description.content"},
      {"/fields/description/content/0/content/0/text", "1",
       "fields.description.content[0].content[0].text"},
  };
  for (const auto& c : cases) {
    std::string json = mutated(c.pointer, c.value);
    EXPECT_EQ(error_field([&] { parse_issue(json); }), c.field)
        << c.pointer << " = " << (c.value ? c.value : "<removed>");
  }
}

TEST(ParseIssue, ErrorMessagesSayWhatIsWrong) {
  try {
    parse_issue(mutated("/fields/updated", R"("2024-13-01T00:00:00Z")"));
    FAIL();
  } catch (const PayloadError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("fields.updated"), std::string::npos) << what;
    EXPECT_NE(what.find("2024-13-01T00:00:00Z"), std::string::npos) << what;
  }
  try {
    parse_issue(mutated("/fields/summary", "7"));
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_NE(std::string(e.what()).find("must be a string, got a number"), std::string::npos)
        << e.what();
  }
}

TEST(ParseIssue, InvalidJsonAndNonObjects) {
  EXPECT_EQ(error_field([] { parse_issue("{\"id\":"); }), "issue");
  EXPECT_EQ(error_field([] { parse_issue("[]"); }), "issue");
  EXPECT_EQ(error_field([] { parse_issue(""); }), "issue");
  EXPECT_EQ(error_field([] { parse_issue("{\"id\":\"1\",\"key\":\"A-1\"} trailing"); }), "issue");
}

TEST(ParseIssue, HostileNestingIsRefused) {
  std::string deep = R"({"id":"1","key":"A-1","fields":{"customfield_1":)" +
                     std::string(5000, '[') + std::string(5000, ']') + "}}";
  EXPECT_EQ(error_field([&] { parse_issue(deep); }), "issue");
}

TEST(ParseIssue, WholeIssueSizeLimit) {
  ParseLimits limits;
  limits.max_issue_bytes = 100;
  EXPECT_EQ(error_field([&] { parse_issue(sample(), limits); }), "issue");
  limits.max_issue_bytes = sample().size();
  EXPECT_NO_THROW(parse_issue(sample(), limits));
}

TEST(ParseIssue, FieldSizeLimits) {
  ParseLimits limits;
  limits.max_field_bytes = 30;  // the summary is 39 bytes, every earlier string shorter
  EXPECT_EQ(error_field([&] { parse_issue(sample(), limits); }), "fields.summary");
  limits.max_field_bytes = 20;
  EXPECT_EQ(error_field([&] {
              parse_issue(
                  R"({"id":"1","key":"A-1","fields":{"customfield_9":"0123456789abcdefghij"}})",
                  limits);
            }),
            "fields.customfield_9");  // 22 bytes with quotes
  EXPECT_EQ(error_field([&] {
              parse_issue(
                  R"({"id":"1","key":"A-1","fields":{"description":{"type":"doc","content":[]}}})",
                  limits);
            }),
            "fields.description");
  EXPECT_NO_THROW(parse_issue(
      R"({"id":"1","key":"A-1","fields":{"customfield_9":"0123456789abcdefgh"}})", limits));
}

TEST(ParseIssue, LabelAndCustomFieldCountLimits) {
  ParseLimits limits;
  limits.max_labels = 2;
  EXPECT_EQ(error_field([&] { parse_issue(sample(), limits); }), "fields.labels");
  limits.max_labels = 3;
  EXPECT_NO_THROW(parse_issue(sample(), limits));
  limits.max_custom_fields = 2;
  try {
    parse_issue(sample(), limits);
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "fields");
    EXPECT_NE(std::string(e.what()).find("more than 2"), std::string::npos);
  }
}

TEST(ParseIssue, DuplicateCustomFieldIsAnError) {
  EXPECT_EQ(
      error_field([] {
        parse_issue(R"({"id":"1","key":"A-1","fields":{"customfield_9":1,"customfield_9":2}})");
      }),
      "fields.customfield_9");
}

// --- Atlassian's own examples (common/model/testdata/README.md) ---

std::vector<JiraIssue> parse_response(const std::string& file) {
  rapidjson::Document d;
  std::string text = read_testdata(file);
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << file;
  std::vector<JiraIssue> out;
  if (d.HasMember("issues")) {
    for (const auto& issue : d["issues"].GetArray()) out.push_back(parse_issue(issue));
  } else {
    out.push_back(parse_issue(text));
  }
  return out;
}

TEST(SpecExamples, GetIssue) {
  auto issues = parse_response("spec_get_issue.json");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].id, "10002");
  EXPECT_EQ(issues[0].key, "ED-1");
  EXPECT_EQ(issues[0].project_key, "EX");
  EXPECT_EQ(issues[0].updated_ms, 1);  // the spec writes "updated": 1
  EXPECT_EQ(issues[0].description_text, "Main order flow broken");
}

TEST(SpecExamples, SearchResponses) {
  for (const char* file : {"spec_search_jql_get.json", "spec_search_jql_post.json",
                           "spec_search_get.json", "spec_search_post.json"}) {
    auto issues = parse_response(file);
    ASSERT_EQ(issues.size(), 1u) << file;
    EXPECT_EQ(issues[0].id, "10002") << file;
    EXPECT_EQ(issues[0].key, "ED-1") << file;
    EXPECT_EQ(issues[0].project_id, "10000") << file;
    // Some carry the description as ADF, some as a plain string: same text either way.
    EXPECT_EQ(issues[0].description_text, "Main order flow broken") << file;
  }
  EXPECT_EQ(parse_response("spec_search_jql_get.json")[0].description_adf,
            parse_response("spec_search_post.json")[0].description_adf);
}

TEST(SpecExamples, BulkFetch) {
  auto issues = parse_response("spec_bulkfetch_post.json");
  ASSERT_EQ(issues.size(), 3u);
  const std::pair<const char*, const char*> expected[] = {
      {"10002", "EX-1"}, {"10005", "EX-2"}, {"10005", "EX-4"}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(issues[i].id, expected[i].first);
    EXPECT_EQ(issues[i].key, expected[i].second);
    ASSERT_TRUE(issues[i].assignee);
    EXPECT_EQ(issues[i].assignee->display_name, "Mia Krystof");
  }
  EXPECT_EQ(issues[0].summary, "My first example issue");
  EXPECT_EQ(issues[2].project_key, "MKY");
}

TEST(SpecExamples, AreNotCompleteEnoughForTheCache) {
  // They lack summary/status/issuetype: the strict rule must say so, by name.
  auto text = read_testdata("spec_get_issue.json");
  EXPECT_EQ(error_field([&] { parse_complete_issue(text); }), "fields.issuetype");
}

}  // namespace
}  // namespace jirasync
