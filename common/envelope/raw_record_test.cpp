#include "common/envelope/raw_record.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

std::string error_field(const std::string& json) {
  try {
    decode_raw_record(json);
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<none>";
}

IssueSnapshot snapshot_with(std::string issue_json) {
  IssueSnapshot s;
  s.run_id = "run-7";
  s.project = "ÜBER";
  s.issue_id = "10042";
  s.key = "ÜBER-42";
  s.updated_ms = std::numeric_limits<int64_t>::min();
  s.fetched_ms = 1714557600123;
  s.issue_json = std::move(issue_json);
  return s;
}

// Whitespace, escapes, an escaped NUL, emoji and a number RapidJSON would reformat.
const std::string kIssue =
    std::string("{ \"id\" : \"10042\",\n \"x\": 1e2, \"s\": \"tab\\t\\u00e9 ") +
    "\xF0\x9F\x98\x80\", \"n\": \"a\\u0000b\" }";

TEST(RawRecordTest, SnapshotCarriesTheIssueOnTheTopicByteForByte) {
  const std::string encoded = encode(snapshot_with(kIssue));
  EXPECT_NE(encoded.find(R"("issue":)" + kIssue + "}"), std::string::npos) << encoded;
}

TEST(RawRecordTest, SnapshotRoundTripsTheIssueValue) {
  const IssueSnapshot s = snapshot_with(kIssue);
  const IssueSnapshot decoded = std::get<IssueSnapshot>(decode_raw_record(encode(s)));
  IssueSnapshot expected = s;
  expected.issue_json = std::string(R"({"id":"10042","x":100.0,"s":"tab\t)") + "\xC3\xA9 " +
                        "\xF0\x9F\x98\x80" + R"(","n":"a\u0000b"})";
  EXPECT_EQ(decoded, expected);
}

TEST(RawRecordTest, ParseKeepsTheIssueParsedInTheDocument) {
  rapidjson::Document doc;
  const ParsedRawRecord parsed = parse_raw_record(encode(snapshot_with(kIssue)), doc);
  IssueSnapshot head = snapshot_with("");
  EXPECT_EQ(std::get<IssueSnapshot>(parsed.record), head);
  ASSERT_NE(parsed.issue, nullptr);
  EXPECT_STREQ((*parsed.issue)["id"].GetString(), "10042");
  EXPECT_EQ((*parsed.issue)["n"].GetStringLength(), 3u);

  rapidjson::Document chunk_doc;
  EXPECT_EQ(parse_raw_record(encode(SweepChunk{"r", "P", 0, {"1"}}), chunk_doc).issue, nullptr);
}

TEST(RawRecordTest, SchemaOneSnapshotsWithAnIssueStringAreStillRead) {
  const std::string v1 =
      R"({"schema":1,"type":"issue_snapshot","run_id":"r","project":"P","issue_id":"1",)"
      R"("key":"P-1","updated_ms":5,"fetched_ms":6,"issue_json":"{\"id\":\"1\",\"k\":[1]}"})";
  EXPECT_EQ(std::get<IssueSnapshot>(decode_raw_record(v1)).issue_json, R"({"id":"1","k":[1]})");
  rapidjson::Document doc;
  const ParsedRawRecord parsed = parse_raw_record(v1, doc);
  EXPECT_EQ(std::get<IssueSnapshot>(parsed.record).updated_ms, 5);
  ASSERT_NE(parsed.issue, nullptr);
  EXPECT_EQ((*parsed.issue)["k"][0].GetInt(), 1);
}

TEST(RawRecordTest, ParseRefusesWhatTheIssueMustNotBe) {
  rapidjson::Document doc;
  std::string bad_utf8 = encode(snapshot_with("{\"s\":\"\xC3\x28\"}"));
  EXPECT_THROW(parse_raw_record(bad_utf8, doc), PayloadError);
  std::string deep = "{";
  for (int i = 0; i < 600; ++i) deep += "\"a\":{";
  deep += "\"b\":1";
  for (int i = 0; i < 601; ++i) deep += "}";
  try {
    parse_raw_record(encode(snapshot_with(deep)), doc);
    ADD_FAILURE() << "no error";
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "json");
    EXPECT_NE(std::string(e.what()).find("nested deeper"), std::string::npos);
  }
}

TEST(RawRecordTest, AnIssueAtTheDepthLimitFitsInItsEnvelope) {
  // The fetcher passes issues nested up to kMaxJsonDepth levels; the envelope
  // around them must not push them over.
  const std::string deepest = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  rapidjson::Document doc;
  EXPECT_NO_THROW(parse_raw_record(encode(snapshot_with(deepest)), doc));
  EXPECT_NO_THROW(decode_raw_record(encode(snapshot_with(deepest))));
}

TEST(RawRecordTest, UnreadableSnapshotCarriesTheReasonAndNoIssue) {
  IssueSnapshot s = snapshot_with("");
  s.unreadable = "JSON nested deeper than 512 levels";
  const std::string encoded = encode(s);
  EXPECT_NE(encoded.find(R"("unreadable":"JSON nested deeper than 512 levels")"), std::string::npos)
      << encoded;
  EXPECT_NE(encoded.find(R"("issue":null)"), std::string::npos) << encoded;
  EXPECT_EQ(std::get<IssueSnapshot>(decode_raw_record(encoded)), s);
  rapidjson::Document doc;
  const ParsedRawRecord parsed = parse_raw_record(encoded, doc);
  EXPECT_EQ(std::get<IssueSnapshot>(parsed.record).unreadable, s.unreadable);
  // A readable snapshot has no such member.
  EXPECT_EQ(encode(snapshot_with("{}")).find("unreadable"), std::string::npos);
}

TEST(RawRecordTest, SweepChunkRoundTrips) {
  SweepChunk c;
  c.run_id = "run-7";
  c.project = "WRKA";
  c.seq = std::numeric_limits<int>::max();
  c.issue_ids = {"1", "2", "10000000000000000000"};
  const RawRecord decoded = decode_raw_record(encode(c));
  ASSERT_TRUE(std::holds_alternative<SweepChunk>(decoded));
  EXPECT_EQ(std::get<SweepChunk>(decoded), c);
}

TEST(RawRecordTest, IssueGoneRoundTripsBothWaysAndNeedsAnId) {
  const IssueGone g{"run-7", "WRKA", "10042"};
  EXPECT_EQ(std::get<IssueGone>(decode_raw_record(encode(g))), g);
  rapidjson::Document doc;
  const ParsedRawRecord parsed = parse_raw_record(encode(g), doc);
  EXPECT_EQ(std::get<IssueGone>(parsed.record), g);
  EXPECT_EQ(parsed.issue, nullptr);
  EXPECT_THROW(decode_raw_record(encode(IssueGone{"r", "P", ""})), PayloadError);
}

TEST(RawRecordTest, EmptySweepChunkRoundTrips) {
  SweepChunk c;
  c.run_id = "r";
  c.project = "P";
  EXPECT_EQ(std::get<SweepChunk>(decode_raw_record(encode(c))), c);
}

TEST(RawRecordTest, SweepEndRoundTrips) {
  SweepEnd e;
  e.run_id = "run-7";
  e.project = "WRKA";
  e.chunks = 12;
  e.total_ids = 5000LL * 12 - 3;
  e.started_ms = 1714557600000;
  const RawRecord decoded = decode_raw_record(encode(e));
  ASSERT_TRUE(std::holds_alternative<SweepEnd>(decoded));
  EXPECT_EQ(std::get<SweepEnd>(decoded), e);
}

TEST(RawRecordTest, TypesAreNamedInTheEnvelope) {
  EXPECT_NE(encode(IssueSnapshot{}).find(R"("type":"issue_snapshot")"), std::string::npos);
  EXPECT_NE(encode(SweepChunk{}).find(R"("type":"sweep_chunk")"), std::string::npos);
  EXPECT_NE(encode(SweepEnd{}).find(R"("type":"sweep_end")"), std::string::npos);
  EXPECT_EQ(encode(SweepEnd{}).rfind(R"({"schema":2,)", 0), 0u);
}

TEST(RawRecordTest, MalformedEnvelopesNameTheField) {
  EXPECT_EQ(error_field("{"), "json");
  EXPECT_EQ(error_field("\"issue\""), "json");
  EXPECT_EQ(error_field(R"({"schema":0,"type":"sweep_end"})"), "schema");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sync_job"})"), "type");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sweep_start"})"), "type");
  EXPECT_EQ(error_field(R"({"schema":1,"type":7})"), "type");
}

TEST(RawRecordTest, MissingOrWrongTypedFieldsNameTheField) {
  EXPECT_EQ(error_field(R"({"schema":1,"type":"issue_snapshot","run_id":"r","project":"P",)"
                        R"("issue_id":"1","key":"P-1","updated_ms":1,"fetched_ms":2})"),
            "issue_json");
  EXPECT_EQ(error_field(R"({"schema":2,"type":"issue_snapshot","run_id":"r","project":"P",)"
                        R"("issue_id":"1","key":"P-1","updated_ms":1,"fetched_ms":2})"),
            "issue");
  EXPECT_EQ(error_field(R"({"schema":3,"type":"sweep_end"})"), "schema");
  EXPECT_EQ(
      error_field(R"({"schema":1,"type":"issue_snapshot","run_id":"r","project":"P",)"
                  R"("issue_id":1,"key":"P-1","updated_ms":1,"fetched_ms":2,"issue_json":"{}"})"),
      "issue_id");
  EXPECT_EQ(error_field(
                R"({"schema":1,"type":"issue_snapshot","run_id":"r","project":"P",)"
                R"("issue_id":"1","key":"P-1","updated_ms":"1","fetched_ms":2,"issue_json":"{}"})"),
            "updated_ms");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sweep_chunk","run_id":"r","project":"P",)"
                        R"("seq":-1,"issue_ids":[]})"),
            "seq");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sweep_chunk","run_id":"r","project":"P",)"
                        R"("seq":0,"issue_ids":[1]})"),
            "issue_ids[0]");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sweep_end","run_id":"r","project":"P",)"
                        R"("chunks":1,"total_ids":1})"),
            "started_ms");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"sweep_end","run_id":"r","project":null,)"
                        R"("chunks":1,"total_ids":1,"started_ms":0})"),
            "project");
}

}  // namespace
}  // namespace jirasync
