#include "services/reconciler/reconciler.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/hash/content_hash.hpp"
#include "common/model/issue_parser.hpp"
#include "tests/fakes/fake_bus.hpp"
#include "tests/fakes/fake_ticket_cache.hpp"

namespace jirasync {
namespace {

using fakes::FakeBus;
using fakes::FakeTicketCache;

// Jira REST v3 issue JSON, as the fetcher puts it into IssueSnapshot.issue_json.
std::string issue_json(const std::string& id, const std::string& key, const std::string& summary,
                       const std::string& updated = "2023-11-14T22:13:20.000+0000") {
  return R"({"id":")" + id + R"(","key":")" + key +
         R"(","self":"http://127.0.0.1/rest/api/3/issue/)" + id + R"(","fields":{"summary":")" +
         summary +
         R"(","project":{"id":"100","key":"WRKA","name":"Work A"},)"
         R"("issuetype":{"id":"1","name":"Task","subtask":false},)"
         R"("status":{"id":"3","name":"To Do","statusCategory":{"id":2,"key":"new","name":"To Do"}},)"
         R"("priority":{"id":"3","name":"Medium"},"assignee":null,"reporter":null,)"
         R"("labels":["api"],"components":[],"fixVersions":[],"resolution":null,)"
         R"("resolutiondate":null,"created":"2023-11-01T08:00:00.000+0000","updated":")" +
         updated + R"(","description":null}})";
}

IssueSnapshot snapshot(const std::string& id, const std::string& key, const std::string& summary,
                       const std::string& updated = "2023-11-14T22:13:20.000+0000") {
  IssueSnapshot s;
  s.run_id = "run-1";
  s.project = "WRKA";
  s.issue_id = id;
  s.key = key;
  s.updated_ms = 1'700'000'000'000;
  s.fetched_ms = 1'700'000'100'000;
  s.issue_json = issue_json(id, key, summary, updated);
  return s;
}

// What the cache would hold after syncing `json`.
CachedTicket cached_from(const std::string& json) {
  JiraIssue issue = parse_complete_issue(json);
  CachedTicket c;
  c.id = issue.id;
  c.key = issue.key;
  c.content_hash = content_hash(issue);
  c.significant_hash = significant_hash(issue);
  c.updated_ms = issue.updated_ms;
  c.issue = issue;
  return c;
}

double counter_value(prometheus::Registry& registry, const std::string& name,
                     const std::string& label_value = "") {
  double total = 0;
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      bool match = label_value.empty();
      for (const auto& label : metric.label) match = match || label.value == label_value;
      if (match) total += metric.counter.value;
    }
  }
  return total;
}

class ReconcilerTest : public ::testing::Test {
 protected:
  ReconcilerTest() : topics(config.kafka.topic_prefix) {}

  Reconciler& reconciler() {
    if (!reconciler_) {
      reconciler_ = std::make_unique<Reconciler>(ReconcilerSettings::from(config), bus, store,
                                                 clock, registry);
    }
    return *reconciler_;
  }
  void publish(const RawRecord& record, const std::string& key) {
    bus.append(topics.raw, key, encode(record));
  }
  std::vector<Decision> decided() {
    std::vector<Decision> out;
    for (const auto& m : bus.records(topics.decided)) out.push_back(decode_decision(m.value));
    return out;
  }
  int64_t committed_raw() {
    auto& c = bus.committed(consumer_group(config.kafka.topic_prefix, Reconciler::kRole));
    auto it = c.find({topics.raw, 0});
    return it == c.end() ? -1 : it->second;
  }

  Config config;
  Topics topics;
  FakeBus bus;
  FakeTicketCache store;
  FakeClock clock;
  prometheus::Registry registry;
  std::unique_ptr<Reconciler> reconciler_;
};

TEST_F(ReconcilerTest, DecidesAtMostTheConfiguredBatchSizePerRound) {
  config.reconciler_batch_size = 2;
  for (const char* id : {"10001", "10002", "10003"}) publish(snapshot(id, "WRKA-1", "New"), id);

  ASSERT_TRUE(reconciler().step());
  EXPECT_EQ(bus.records(topics.decided).size(), 2u);
  EXPECT_EQ(committed_raw(), 2);
  ASSERT_TRUE(reconciler().step());
  EXPECT_EQ(bus.records(topics.decided).size(), 3u);
}

TEST_F(ReconcilerTest, SnapshotsBecomeDecisionsKeyedByIssueIdThenOffsetsAreCommitted) {
  auto unchanged = snapshot("10002", "WRKA-2", "Unchanged");
  store.rows["10002"] = cached_from(unchanged.issue_json);
  publish(snapshot("10001", "WRKA-1", "Brand new"), "10001");
  publish(unchanged, "10002");

  ASSERT_TRUE(reconciler().step());

  auto records = bus.records(topics.decided);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].key, "10001");
  EXPECT_EQ(records[1].key, "10002");
  auto decisions = decided();
  EXPECT_EQ(decisions[0].kind, DecisionKind::kInsert);
  EXPECT_EQ(decisions[0].run_id, "run-1");
  ASSERT_TRUE(decisions[0].issue.has_value());
  EXPECT_EQ(decisions[0].issue->summary, "Brand new");
  EXPECT_EQ(decisions[1].kind, DecisionKind::kSkip);
  EXPECT_EQ(committed_raw(), 2);
  EXPECT_GE(bus.flushes, 1);
  EXPECT_EQ(counter_value(registry, "jirasync_reconciler_decisions_total",
                          to_string(DecisionKind::kInsert)),
            1);
  EXPECT_EQ(counter_value(registry, "jirasync_reconciler_decisions_total",
                          to_string(DecisionKind::kSkip)),
            1);
  EXPECT_FALSE(reconciler().step()) << "nothing left to consume";
}

TEST_F(ReconcilerTest, MalformedIssueIsDeadLetteredAndRejectedWhileTheOthersFlow) {
  auto bad = snapshot("10002", "WRKA-2", "whatever");
  bad.issue_json = R"({"id":"10002","key":"WRKA-2","fields":{"summary":42}})";
  publish(snapshot("10001", "WRKA-1", "First"), "10001");
  publish(bad, "10002");
  publish(snapshot("10003", "WRKA-3", "Third"), "10003");

  ASSERT_TRUE(reconciler().step());

  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 3u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kInsert);
  EXPECT_EQ(decisions[1].kind, DecisionKind::kReject);
  EXPECT_EQ(decisions[1].run_id, "run-1");
  EXPECT_EQ(decisions[1].issue_id, "10002");
  EXPECT_EQ(decisions[1].item_key.rfind("10002@", 0), 0u) << decisions[1].item_key;
  EXPECT_FALSE(decisions[1].reason.empty());
  EXPECT_EQ(decisions[2].kind, DecisionKind::kInsert);

  auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key, topics.raw);
  rapidjson::Document doc;
  doc.Parse(dead[0].value.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(std::string(doc["source_topic"].GetString()), topics.raw);
  EXPECT_EQ(doc["offset"].GetInt64(), 1);
  EXPECT_EQ(std::string(doc["key"].GetString()), "10002");
  EXPECT_EQ(std::string(doc["reason"].GetString()), decisions[1].reason);
  EXPECT_EQ(std::string(doc["payload"].GetString()), encode(RawRecord{bad}));
  EXPECT_EQ(committed_raw(), 3);
  EXPECT_EQ(counter_value(registry, "jirasync_reconciler_dead_lettered_total"), 1);
}

TEST_F(ReconcilerTest, IssueTooDeepForTheFetcherIsDeadLetteredByIdAndCounted) {
  // The fetcher could not carry this issue (nested deeper than the limit):
  // it sends id, key and the reason instead.
  auto deep = snapshot("10002", "WRKA-2", "whatever");
  deep.issue_json.clear();
  deep.unreadable = "JSON nested deeper than 512 levels";
  publish(snapshot("10001", "WRKA-1", "First"), "10001");
  publish(deep, "10002");
  publish(snapshot("10003", "WRKA-3", "Third"), "10003");

  ASSERT_TRUE(reconciler().step());

  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 3u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kInsert);
  EXPECT_EQ(decisions[1].kind, DecisionKind::kReject) << "the run must count it";
  EXPECT_EQ(decisions[1].issue_id, "10002");
  EXPECT_EQ(decisions[1].item_key, "10002@1700000000000") << "one item per issue version";
  EXPECT_EQ(decisions[1].reason, "issue: JSON nested deeper than 512 levels");
  EXPECT_EQ(decisions[2].kind, DecisionKind::kInsert);
  auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  rapidjson::Document doc;
  doc.Parse(dead[0].value.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(std::string(doc["key"].GetString()), "10002");
  EXPECT_EQ(std::string(doc["reason"].GetString()), decisions[1].reason);
  EXPECT_NE(std::string(doc["payload"].GetString()).find(R"("key":"WRKA-2")"), std::string::npos);
}

TEST_F(ReconcilerTest, SnapshotWhoseIssueIdDisagreesIsRejectedNamingTheField) {
  auto odd = snapshot("10009", "WRKA-9", "Nine");
  odd.issue_id = "10008";
  publish(odd, "10008");
  ASSERT_TRUE(reconciler().step());
  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kReject);
  EXPECT_NE(decisions[0].reason.find("id"), std::string::npos);
  EXPECT_EQ(bus.records(topics.deadletter).size(), 1u);
}

TEST_F(ReconcilerTest, UndecodableEnvelopeGoesToDeadLetterOnly) {
  bus.append(topics.raw, "10001", "{not json");
  publish(snapshot("10002", "WRKA-2", "Fine"), "10002");

  ASSERT_TRUE(reconciler().step());

  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].issue_id, "10002");
  auto dead = bus.records(topics.deadletter);
  ASSERT_EQ(dead.size(), 1u);
  rapidjson::Document doc;
  doc.Parse(dead[0].value.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(std::string(doc["payload"].GetString()), "{not json");
  EXPECT_EQ(committed_raw(), 2);
}

TEST_F(ReconcilerTest, SweepRecordsPassThroughKeyedByProject) {
  SweepChunk chunk{"run-2", "WRKA", 0, {"10001", "10002"}};
  SweepEnd end{"run-2", "WRKA", 1, 2, 1'700'000'000'000};
  publish(chunk, "sweep:WRKA");
  publish(end, "sweep:WRKA");

  ASSERT_TRUE(reconciler().step());

  auto records = bus.records(topics.decided);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].key, "sweep:WRKA");
  EXPECT_EQ(records[1].key, "sweep:WRKA");
  auto decisions = decided();
  EXPECT_EQ(decisions[0].kind, DecisionKind::kSweepChunk);
  EXPECT_EQ(decisions[0].item_key, "sweep:0");
  EXPECT_EQ(decisions[0].run_id, "run-2");
  EXPECT_EQ(decisions[0].issue_ids, (std::vector<std::string>{"10001", "10002"}));
  EXPECT_EQ(decisions[1].kind, DecisionKind::kSweepEnd);
  EXPECT_EQ(decisions[1].item_key, "sweep-end");
  EXPECT_EQ(decisions[1].sweep_chunks, 1);
  EXPECT_EQ(decisions[1].sweep_started_ms, 1'700'000'000'000);
}

TEST_F(ReconcilerTest, AVerifiedDeletionBecomesADeleteOfThatIssue) {
  publish(IssueGone{"run-3", "WRKA", "10007"}, "10007");
  ASSERT_TRUE(reconciler().step());
  auto records = bus.records(topics.decided);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].key, "10007");
  const Decision d = decided()[0];
  EXPECT_EQ(d.kind, DecisionKind::kDelete);
  EXPECT_EQ(d.run_id, "run-3");
  EXPECT_EQ(d.issue_id, "10007");
  EXPECT_EQ(d.item_key, "10007@gone");
}

TEST_F(ReconcilerTest, LocalEditMeetsJiraChangeUnderTheProjectStrategy) {
  ProjectSettings project;
  project.key = "WRKA";
  project.strategy = "LOCAL_WINS";
  config.projects = {project};
  store.rows["10001"] = cached_from(issue_json("10001", "WRKA-1", "Old title"));
  store.edits["10001"] = {LocalEdit{"10001", "summary", "My title", 1'700'000'000'000}};
  publish(snapshot("10001", "WRKA-1", "New title", "2023-11-15T09:00:00.000+0000"), "10001");

  ASSERT_TRUE(reconciler().step());

  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kSignificant);
  ASSERT_EQ(decisions[0].conflicts.size(), 1u);
  EXPECT_EQ(decisions[0].conflicts[0].field, "summary");
  EXPECT_EQ(decisions[0].conflicts[0].strategy, ConflictStrategy::kLocalWins);
  EXPECT_EQ(decisions[0].conflicts[0].outcome, "local");
  EXPECT_EQ(decisions[0].conflicts[0].jira_value, "New title");
}

TEST_F(ReconcilerTest, ASecondSnapshotInTheSameBatchSeesTheFirstAsTheCache) {
  publish(snapshot("10001", "WRKA-1", "v1", "2023-11-14T22:13:20.000+0000"), "10001");
  publish(snapshot("10001", "WRKA-1", "v1", "2023-11-14T22:13:20.000+0000"), "10001");
  publish(snapshot("10001", "WRKA-7", "v1", "2023-11-14T23:00:00.000+0000"), "10001");

  ASSERT_TRUE(reconciler().step());

  auto decisions = decided();
  ASSERT_EQ(decisions.size(), 3u);
  EXPECT_EQ(decisions[0].kind, DecisionKind::kInsert);
  EXPECT_EQ(decisions[1].kind, DecisionKind::kSkip);
  EXPECT_EQ(decisions[2].kind, DecisionKind::kMove);
  EXPECT_EQ(decisions[2].previous_key, "WRKA-1");
}

TEST_F(ReconcilerTest, StoreFailureHoldsTheBatchAndRetriesItAfterABackoff) {
  publish(snapshot("10001", "WRKA-1", "One"), "10001");
  store.fail_next_loads = 1;

  EXPECT_FALSE(reconciler().step());
  EXPECT_TRUE(bus.records(topics.decided).empty());
  EXPECT_EQ(committed_raw(), -1);
  EXPECT_EQ(counter_value(registry, "jirasync_reconciler_batch_failures_total"), 1);

  // Still inside the backoff: nothing is retried yet.
  EXPECT_FALSE(reconciler().step());
  EXPECT_TRUE(bus.records(topics.decided).empty());

  clock.advance_ms(ReconcilerSettings{}.retry_backoff_ms);
  ASSERT_TRUE(reconciler().step());
  ASSERT_EQ(decided().size(), 1u);
  EXPECT_EQ(committed_raw(), 1);
}

TEST_F(ReconcilerTest, UnacknowledgedDecisionsAreNotCommitted) {
  publish(snapshot("10001", "WRKA-1", "One"), "10001");
  bus.fail_next_flushes = 1;

  EXPECT_FALSE(reconciler().step());
  EXPECT_EQ(committed_raw(), -1);

  clock.advance_ms(ReconcilerSettings{}.retry_backoff_ms);
  ASSERT_TRUE(reconciler().step());
  EXPECT_EQ(committed_raw(), 1);
  // Produced twice (at-least-once); the writer applies it once.
  EXPECT_EQ(bus.records(topics.decided).size(), 2u);
}

TEST_F(ReconcilerTest, RunReturnsOnceStopIsSetAndClosesTheConsumer) {
  publish(snapshot("10001", "WRKA-1", "One"), "10001");
  std::atomic<bool> stop{false};
  // The fake bus never blocks, so run() is driven on this thread: stop after the first commit.
  bus.on_commit = [&] { stop = true; };
  reconciler().run(stop);
  EXPECT_EQ(committed_raw(), 1);
  EXPECT_EQ(decided().size(), 1u);
}

}  // namespace
}  // namespace jirasync
