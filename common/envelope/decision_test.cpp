#include "common/envelope/decision.hpp"

#include <gtest/gtest.h>

#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

std::string error_field(const std::string& json) {
  try {
    decode_decision(json);
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<none>";
}

JiraIssue issue() {
  JiraIssue i;
  i.id = "10042";
  i.key = "NEU-7";
  i.project_key = "NEU";
  i.summary = "Überschrift — «test» ✓";
  i.description_adf = R"({"type":"doc","version":1})";
  i.custom_fields = {{"customfield_1", "[1,2,3]"}};
  return i;
}

Decision move_decision() {
  Decision d;
  d.run_id = "run-ß";
  d.project = "NEU";
  d.kind = DecisionKind::kMove;
  d.issue_id = "10042";
  d.item_key = "10042";
  d.issue = issue();
  d.content_hash = "ab12";
  d.significant_hash = "cd34";
  d.previous_key = "OLD-7";
  d.conflicts = {{"summary", "mine", "theirs — ✓", ConflictStrategy::kNewestWins, "local"},
                 {"labels", "", "[\"x\"]", ConflictStrategy::kManual, "manual"}};
  return d;
}

TEST(DecisionTest, MoveWithConflictsRoundTrips) {
  const Decision d = move_decision();
  EXPECT_EQ(decode_decision(encode(d)), d);
}

TEST(DecisionTest, EveryKindRoundTrips) {
  for (DecisionKind kind :
       {DecisionKind::kInsert, DecisionKind::kUpdate, DecisionKind::kSignificant,
        DecisionKind::kMove, DecisionKind::kSkip, DecisionKind::kDelete, DecisionKind::kReject,
        DecisionKind::kSweepChunk, DecisionKind::kSweepEnd}) {
    Decision d = move_decision();
    d.kind = kind;
    EXPECT_EQ(decode_decision(encode(d)), d) << to_string(kind);
    EXPECT_EQ(decision_kind_from_string(to_string(kind)), kind);
  }
}

TEST(DecisionTest, SweepAndRejectDecisionsRoundTripWithoutIssue) {
  Decision end;
  end.run_id = "r";
  end.project = "P";
  end.kind = DecisionKind::kSweepEnd;
  end.issue_id = "sweep:P";
  end.item_key = "sweep-end";
  end.sweep_chunks = 3;
  end.sweep_started_ms = -1;
  EXPECT_EQ(decode_decision(encode(end)), end);

  Decision chunk = end;
  chunk.kind = DecisionKind::kSweepChunk;
  chunk.item_key = "sweep:0";
  chunk.issue_ids = {"1", "2", "3"};
  EXPECT_EQ(decode_decision(encode(chunk)), chunk);

  Decision reject = end;
  reject.kind = DecisionKind::kReject;
  reject.reason = "fields.updated: not a date «x»";
  EXPECT_EQ(decode_decision(encode(reject)), reject);
}

TEST(DecisionTest, EnumNames) {
  EXPECT_STREQ(to_string(DecisionKind::kSignificant), "significant");
  EXPECT_STREQ(to_string(DecisionKind::kSweepChunk), "sweep_chunk");
  EXPECT_STREQ(to_string(ConflictStrategy::kJiraWins), "JIRA_WINS");
  EXPECT_STREQ(to_string(ConflictStrategy::kLocalWins), "LOCAL_WINS");
  EXPECT_STREQ(to_string(ConflictStrategy::kNewestWins), "NEWEST_WINS");
  EXPECT_STREQ(to_string(ConflictStrategy::kManual), "MANUAL");
  for (ConflictStrategy s : {ConflictStrategy::kJiraWins, ConflictStrategy::kLocalWins,
                             ConflictStrategy::kNewestWins, ConflictStrategy::kManual}) {
    EXPECT_EQ(conflict_strategy_from_string(to_string(s)), s);
  }
  EXPECT_THROW(conflict_strategy_from_string("jira_wins"), PayloadError);
  EXPECT_THROW(decision_kind_from_string("upsert"), PayloadError);
}

std::string with(const std::string& from, const std::string& to) {
  std::string json = encode(move_decision());
  const size_t at = json.find(from);
  EXPECT_NE(at, std::string::npos) << from << " in " << json;
  json.replace(at, from.size(), to);
  return json;
}

TEST(DecisionTest, MalformedDecisionsNameTheField) {
  EXPECT_EQ(error_field("{\"schema\":1,"), "json");
  EXPECT_EQ(error_field(with(R"("schema":2)", R"("schema":3)")), "schema");
  EXPECT_EQ(error_field(with(R"("type":"decision")", R"("type":"sweep_end")")), "type");
  EXPECT_EQ(error_field(with(R"("kind":"move")", R"("kind":"teleport")")), "kind");
  EXPECT_EQ(error_field(with(R"("item_key":"10042",)", "")), "item_key");
  EXPECT_EQ(error_field(with(R"("strategy":"MANUAL")", R"("strategy":"ASK")")),
            "conflicts[1].strategy");
  EXPECT_EQ(error_field(with(R"("outcome":"local")", R"("outcome":1)")), "conflicts[0].outcome");
  EXPECT_EQ(error_field(with(R"("conflicts":[)", R"("conflicts":"none","unused":[)")), "conflicts");
  EXPECT_EQ(error_field(with(R"("issue_ids":[])", R"("issue_ids":{})")), "issue_ids");
  EXPECT_EQ(error_field(with(R"("sweep_chunks":0)", R"("sweep_chunks":-2)")), "sweep_chunks");
  EXPECT_EQ(error_field(with(R"("summary":)", R"("title":)")), "issue.summary");
  EXPECT_EQ(error_field(with(R"("reason":"")", R"("reason":null)")), "reason");
}

TEST(DecisionTest, IssueIsRequiredForKindsThatWriteRows) {
  Decision d = move_decision();
  d.kind = DecisionKind::kInsert;
  d.issue.reset();
  EXPECT_EQ(error_field(encode(d)), "issue");
}

}  // namespace
}  // namespace jirasync
