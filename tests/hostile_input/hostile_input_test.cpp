// Every entry point that reads JSON (or the YAML configuration) from outside
// gets the same generated hostile corpus. Each must answer with its own clear
// error or a result; a crash, a sanitizer report or any other exception fails.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/clock/fake_clock.hpp"
#include "common/config/config.hpp"
#include "common/config/config_sources.hpp"
#include "common/envelope/decision.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/jira/issue_list_reader.hpp"
#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"
#include "common/json/utf8_text.hpp"
#include "common/model/issue_parser.hpp"
#include "common/store/json_columns.hpp"
#include "services/scheduler/control_api.hpp"
#include "services/scheduler/control_api_test_support.hpp"
#include "tests/hostile_input/hostile_corpus.hpp"

namespace jirasync {
namespace {

constexpr int kMutations = 600;

std::string sample_issue() {
  return hostile::source_file("common/model/testdata/sample_issue.json");
}

// Runs `entry` on each input; `expected` is the error type the entry point
// promises for bad input. Anything else thrown is a failure naming the input.
template <typename Expected, typename Entry>
void each_input(const std::vector<std::string>& inputs, Entry entry) {
  int refused = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    try {
      entry(inputs[i]);
    } catch (const Expected&) {
      ++refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "input #" << i << " (" << inputs[i].size()
                    << " bytes) threw an unexpected error: " << e.what();
    }
  }
  EXPECT_GT(refused, 0) << "the corpus refused nothing: is it hostile at all?";
  EXPECT_LT(refused, static_cast<int>(inputs.size())) << "the corpus accepted nothing";
}

class ControlApiCorpus : public ::testing::Test, protected testing::ControlApiWorld {};

TEST_F(ControlApiCorpus, SyncBodiesGetAnAnswer) {
  const std::vector<std::string> seeds = {
      R"({"project":"WRKA","kind":"full"})",
      R"({"project":"WRKA","kind":"refresh","keys":["WRKA-1","WRKA-22"]})",
      R"({"project":"NOPE"})",
  };
  const std::set<int> answers = {202, 400, 404, 409};
  int bad = 0;
  for (const auto& body : hostile::corpus(seeds, kMutations, 1)) {
    const int status = post("/api/sync", body).status;
    EXPECT_TRUE(answers.count(status)) << status;
    bad += status == 400;
  }
  EXPECT_GT(bad, 0);
}

TEST_F(ControlApiCorpus, WebhookBodiesGetAnAnswer) {
  const std::vector<std::string> seeds = {
      R"({"webhookEvent":"jira:issue_updated","issue":{"id":"10001","key":"WRKA-7"}})",
      R"({"webhookEvent":"jira:issue_deleted","issue":{"id":"10001","key":"WRKA-7"}})",
      R"({"webhookEvent":"jira:issue_created","issue":)" + sample_issue() + "}",
  };
  int bad = 0;
  for (const auto& body : hostile::corpus(seeds, kMutations, 2)) {
    const int status = post("/api/webhook", body).status;
    EXPECT_TRUE(status == 202 || status == 400) << status;
    bad += status == 400;
  }
  EXPECT_GT(bad, 0);
}

IssueSnapshot sample_snapshot() {
  IssueSnapshot s;
  s.run_id = "run-1";
  s.project = "WRKA";
  s.issue_id = "10042";
  s.key = "WRKA-42";
  s.updated_ms = 1700000000000;
  s.fetched_ms = 1700000000001;
  s.issue_json = sample_issue();
  return s;
}

TEST(EnvelopeCorpus, RawRecordsAreReadOrRefusedNamingTheField) {
  IssueSnapshot unreadable = sample_snapshot();
  unreadable.issue_json.clear();
  unreadable.unreadable = "JSON nested deeper than 512 levels";
  const std::vector<std::string> seeds = {
      encode(RawRecord{sample_snapshot()}),
      encode(RawRecord{unreadable}),
      encode(RawRecord{SweepChunk{"run-1", "WRKA", 3, {"1", "2"}}}),
      encode(RawRecord{SweepEnd{"run-1", "WRKA", 4, 2, 5}}),
  };
  const auto inputs = hostile::corpus(seeds, kMutations, 3);
  each_input<PayloadError>(inputs, [](const std::string& text) {
    rapidjson::Document doc;
    parse_raw_record(text, doc);
  });
  each_input<PayloadError>(inputs, [](const std::string& text) { decode_raw_record(text); });
}

TEST(EnvelopeCorpus, DecisionsAndJobsAreReadOrRefusedNamingTheField) {
  Decision d;
  d.run_id = "run-1";
  d.project = "WRKA";
  d.kind = DecisionKind::kUpdate;
  d.issue_id = d.item_key = "10042";
  d.issue = parse_complete_issue(sample_issue());
  d.content_hash = "abc";
  d.conflicts.push_back({"summary", "mine", "theirs", ConflictStrategy::kJiraWins, "jira"});
  Decision reject;
  reject.kind = DecisionKind::kReject;
  reject.reason = "issue: JSON nested deeper than 512 levels";
  SyncJob job;
  job.run_id = "run-1";
  job.project = "WRKA";
  job.kind = JobKind::kRefresh;
  job.keys = {"WRKA-1"};
  const auto inputs = hostile::corpus({encode(d), encode(reject), encode(job)}, kMutations, 4);
  each_input<PayloadError>(inputs, [](const std::string& text) { decode_decision(text); });
  each_input<PayloadError>(inputs, [](const std::string& text) { decode_sync_job(text); });
}

TEST(JiraPageCorpus, PagesAreReadOrRefusedAndWhatIsReadParsesDownstream) {
  const std::string issue = sample_issue();
  const std::vector<std::string> seeds = {
      R"({"issues":[)" + issue + "," + issue + R"(],"nextPageToken":"t","isLast":false})",
      hostile::source_file("common/model/testdata/spec_search_jql_get.json"),
      hostile::source_file("common/model/testdata/spec_bulkfetch_post.json"),
  };
  each_input<IssueListError>(hostile::corpus(seeds, kMutations, 5), [](const std::string& body) {
    for (const IssueText& text : read_issue_list(body).issues) {
      if (!text.unreadable.empty()) {
        EXPECT_TRUE(text.json.empty());
        continue;
      }
      // The reader and the reconciler must agree on what is readable: every
      // issue passed on fits its envelope and parses there.
      rapidjson::Document issue_doc;
      EXPECT_NO_THROW(parse_json_text(text.json, issue_doc, "issue"));
      IssueSnapshot s = sample_snapshot();
      s.issue_json = text.json;
      rapidjson::Document doc;
      EXPECT_NO_THROW(parse_raw_record(encode(RawRecord{s}), doc));
    }
  });
}

TEST(IssueParserCorpus, IssuesAreParsedOrRefusedNamingTheField) {
  const std::vector<std::string> seeds = {
      sample_issue(),
      hostile::source_file("common/model/testdata/spec_get_issue.json"),
  };
  const auto inputs = hostile::corpus(seeds, kMutations, 6);
  each_input<PayloadError>(inputs, [](const std::string& text) { parse_complete_issue(text); });
  each_input<IssueListError>(inputs, [](const std::string& text) { read_issue_text(text); });
}

TEST(JsonColumnCorpus, StoredColumnsAreReadOrRefused) {
  const std::vector<std::string> seeds = {
      R"(["a","b","WRKA-1"])",
      R"({"customfield_10010":{"value":"High","id":"3"},"customfield_2":[1,2.5,null]})",
  };
  const auto inputs = hostile::corpus(seeds, kMutations, 7);
  each_input<std::runtime_error>(
      inputs, [](const std::string& text) { string_list_from_json(text, "labels"); });
  each_input<std::runtime_error>(
      inputs, [](const std::string& text) { raw_object_from_json(text, "custom_fields"); });
  for (const auto& text : inputs) {
    // Stored as JSON when it is JSON, else as a string: either way readable.
    // (Values come from parsed issues, so they are always UTF-8.)
    if (find_invalid_utf8(text) != std::string_view::npos) continue;
    const std::string column = raw_object_to_json({{"customfield_1", text}});
    EXPECT_NO_THROW(raw_object_from_json(column, "custom_fields"))
        << text.substr(0, 80) << " => " << column;
  }
}

TEST(ConfigYamlCorpus, ConfigurationIsReadOrRefusedNamingTheKey) {
  std::vector<std::string> seeds = {hostile::source_file("config/jirasync.example.yaml")};
  std::string block;
  for (int i = 0; i < 3000; ++i) block += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  std::string items;
  for (int i = 0; i < 3000; ++i) items += std::string(static_cast<size_t>(i) * 2, ' ') + "-\n";
  std::vector<std::string> inputs = hostile::corpus(seeds, kMutations, 8);
  inputs.push_back(block);
  inputs.push_back(items);
  each_input<ConfigError>(inputs, [](const std::string& text) {
    Config config;
    apply_yaml(text, config);
  });
}

TEST(ConfigYamlCorpus, DeepNestingIsNamedAsSuch) {
  Config config;
  try {
    apply_yaml(std::string(150000, '['), config);
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "yaml");
    EXPECT_NE(std::string(e.what()).find("nested deeper than"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jirasync
