// One malformed issue goes to the dead-letter topic; every other issue syncs.
#include <gtest/gtest.h>

#include <cstdlib>

#include "common/bus/kafka_bus.hpp"
#include "common/bus/topics.hpp"
#include "tests/e2e/cache_comparison.hpp"
#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}

// `depth` bullet lists, each inside the item of the one before (4 JSON
// levels per list).
std::string nested_lists(int depth) {
  std::string open;
  std::string close;
  for (int i = 0; i < depth; ++i) {
    open += R"({"type":"bulletList","content":[{"type":"listItem","content":[)";
    close += "]}]}";
  }
  return R"({"type":"doc","version":1,"content":[)" + open +
         R"({"type":"paragraph","content":[{"type":"text","text":"deep"}]})" + close + "]}";
}

// The dead-letter records of this test's topics, once one mentions `needle`.
std::vector<BusMessage> dead_letters(PipelineHarness& h, const std::string& needle) {
  KafkaSettings kafka;
  kafka.brokers = env_or("JIRASYNC_TEST_KAFKA_BROKERS", "");
  kafka.topic_prefix = h.topic_prefix();
  kafka.api_version_request = env_or("JIRASYNC_KAFKA_API_VERSION_REQUEST", "false");
  kafka.broker_version_fallback = env_or("JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1");
  KafkaBus bus(kafka);
  auto consumer = bus.consumer("e2e-deadletter-reader-" + h.topic_prefix());
  consumer->subscribe({topic_name(h.topic_prefix(), Topic::kDeadLetter)});
  std::vector<BusMessage> seen;
  const bool found = testing::wait_until(
      [&] {
        while (auto m = consumer->poll(200ms)) seen.push_back(*m);
        for (const auto& m : seen)
          if (m.value.find(needle) != std::string::npos) return true;
        return false;
      },
      60s, 10ms);
  EXPECT_TRUE(found) << "no dead-letter record names " << needle << " (" << seen.size()
                     << " records)";
  consumer->close();
  return seen;
}

// A full sync of WRKA:200 in which the issue `bad_key` cannot be read: the
// run succeeds with it dead-lettered, it is not in the cache, every other issue
// equals Jira, and the dead-letter topic names it. Returns those records.
std::vector<BusMessage> sync_past_one_bad_issue(PipelineHarness& h, const std::string& bad_key) {
  const std::string bad_id = h.sim().control("GET", "/__sim/issues/" + bad_key)["id"].GetString();
  const auto ids = h.sync({"--full"});
  EXPECT_EQ(ids.size(), 1u);
  if (ids.size() != 1u) return {};
  const auto run = h.run(ids[0]);
  EXPECT_EQ(run->status, RunStatus::kSuccess) << run->error;
  EXPECT_EQ(run->stats.dead_lettered, 1);
  EXPECT_EQ(run->stats.created, 199);
  EXPECT_FALSE(h.tickets().find_by_key(bad_key)) << bad_key << " reached the cache";

  auto jira = jira_truth_except_unparsable(h.sim().base_url(), "WRKA");
  EXPECT_EQ(jira.unparsable, std::vector<std::string>{bad_id});
  const auto diff = differences(jira.issues, cached_issues(h.tickets(), "WRKA"));
  EXPECT_TRUE(diff.empty()) << diff.front();
  return dead_letters(h, bad_key);
}

TEST(PipelineDeadLetter, MalformedIssueIsDeadLetteredAndTheRestSyncs) {
  PipelineHarness h;
  h.start_simulator("WRKA:200");
  h.configure({.projects = {{"WRKA"}}});
  h.start_all_services();
  // An ADF text node whose text is a number: valid JSON, invalid issue.
  h.sim().update_issue("WRKA-3", R"({"description":{"type":"doc","version":1,"content":[
      {"type":"paragraph","content":[{"type":"text","text":42}]}]}})");

  // The dead-letter topic holds the payload and the reason.
  const auto seen = sync_past_one_bad_issue(h, "WRKA-3");
  EXPECT_EQ(seen.size(), 1u);
  if (!seen.empty()) {
    EXPECT_NE(seen[0].value.find("text"), std::string::npos)
        << "the record does not say which field is wrong: " << seen[0].value;
  }
}

// Jira accepts an ADF description of 150 nested lists: about 600 JSON levels,
// past kMaxJsonDepth. That issue is dead-lettered by id; its page, and so
// every other issue of the project, still syncs.
TEST(PipelineDeadLetter, IssueNestedTooDeepIsDeadLetteredByIdAndTheRestSyncs) {
  PipelineHarness h;
  h.start_simulator("WRKA:200");
  h.configure({.projects = {{"WRKA"}}});
  h.start_all_services();
  h.sim().update_issue("WRKA-5", R"({"description":)" + nested_lists(150) + "}");
  const std::string deep_id = h.sim().control("GET", "/__sim/issues/WRKA-5")["id"].GetString();

  const auto seen = sync_past_one_bad_issue(h, "WRKA-5");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].key, topic_name(h.topic_prefix(), Topic::kIssuesRaw));
  EXPECT_NE(seen[0].value.find(R"("key":")" + deep_id + "\""), std::string::npos)
      << "the record does not carry the issue id: " << seen[0].value;
  EXPECT_NE(seen[0].value.find("issue: JSON nested deeper than 512 levels"), std::string::npos)
      << "the record does not say why: " << seen[0].value;
}

}  // namespace
}  // namespace jirasync::e2e
