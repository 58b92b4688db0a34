#include "common/envelope/sync_job.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "common/json/payload_error.hpp"

namespace jirasync {
namespace {

// The field named by the PayloadError decode_sync_job throws ("<none>" if it does not).
std::string error_field(const std::string& json) {
  try {
    decode_sync_job(json);
  } catch (const PayloadError& e) {
    return e.field();
  }
  return "<none>";
}

SyncJob sample() {
  SyncJob job;
  job.run_id = "run-ü-01";
  job.project = "WRKA";
  job.kind = JobKind::kRefresh;
  job.keys = {"WRKA-1", "WRKA-\xE2\x9C\x93", ""};
  job.since_ms = std::numeric_limits<int64_t>::max();
  job.attempt = 3;
  job.requested_ms = 1714557600123;
  return job;
}

TEST(SyncJobTest, RoundTripsEveryField) {
  const SyncJob job = sample();
  EXPECT_EQ(decode_sync_job(encode(job)), job);
}

TEST(SyncJobTest, RoundTripsEveryKind) {
  for (JobKind kind : {JobKind::kIncremental, JobKind::kFull, JobKind::kRefetch}) {
    SyncJob job;
    job.run_id = "r";
    job.project = "P";
    job.kind = kind;
    EXPECT_EQ(decode_sync_job(encode(job)), job) << to_string(kind);
  }
}

TEST(SyncJobTest, EnvelopeCarriesSchemaAndType) {
  const std::string json = encode(sample());
  EXPECT_NE(json.find(R"("schema":2)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("type":"sync_job")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("kind":"refresh")"), std::string::npos) << json;
}

TEST(SyncJobTest, KindNames) {
  EXPECT_STREQ(to_string(JobKind::kIncremental), "incremental");
  EXPECT_STREQ(to_string(JobKind::kFull), "full");
  EXPECT_STREQ(to_string(JobKind::kRefetch), "refetch");
  EXPECT_STREQ(to_string(JobKind::kRefresh), "refresh");
  for (JobKind k : {JobKind::kIncremental, JobKind::kFull, JobKind::kRefetch, JobKind::kRefresh}) {
    EXPECT_EQ(job_kind_from_string(to_string(k)), k);
  }
  try {
    job_kind_from_string("Full");
    FAIL();
  } catch (const PayloadError& e) {
    EXPECT_EQ(e.field(), "kind");
  }
}

const char* kValid =
    R"({"schema":1,"type":"sync_job","run_id":"r1","project":"WRKA","kind":"full","keys":[],)"
    R"("since_ms":0,"attempt":1,"requested_ms":5})";

TEST(SyncJobTest, ValidHandWrittenJobDecodes) {
  const SyncJob job = decode_sync_job(kValid);
  EXPECT_EQ(job.kind, JobKind::kFull);
  EXPECT_EQ(job.requested_ms, 5);
}

TEST(SyncJobTest, MalformedEnvelopesNameTheField) {
  EXPECT_EQ(error_field("not json"), "json");
  EXPECT_EQ(error_field("[1,2]"), "json");
  EXPECT_EQ(error_field(""), "json");
  EXPECT_EQ(error_field(R"({"type":"sync_job"})"), "schema");
  EXPECT_EQ(error_field(R"({"schema":"1","type":"sync_job"})"), "schema");
  EXPECT_EQ(error_field(R"({"schema":3,"type":"sync_job"})"), "schema");
  EXPECT_EQ(error_field(R"({"schema":1})"), "type");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"job"})"), "type");
  EXPECT_EQ(error_field(R"({"schema":1,"type":"decision"})"), "type");
}

TEST(SyncJobTest, MissingOrWrongTypedFieldsNameTheField) {
  const std::string valid = kValid;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string json = valid;
    json.replace(json.find(from), from.size(), to);
    return json;
  };
  EXPECT_EQ(error_field(replaced(R"("run_id":"r1",)", "")), "run_id");
  EXPECT_EQ(error_field(replaced(R"("run_id":"r1")", R"("run_id":"")")), "run_id");
  EXPECT_EQ(error_field(replaced(R"("project":"WRKA")", R"("project":7)")), "project");
  EXPECT_EQ(error_field(replaced(R"("kind":"full")", R"("kind":"weekly")")), "kind");
  EXPECT_EQ(error_field(replaced(R"("keys":[])", R"("keys":"WRKA-1")")), "keys");
  EXPECT_EQ(error_field(replaced(R"("keys":[])", R"("keys":["A-1",2])")), "keys[1]");
  EXPECT_EQ(error_field(replaced(R"("since_ms":0)", R"("since_ms":1.5)")), "since_ms");
  EXPECT_EQ(error_field(replaced(R"("since_ms":0)", R"("since_ms":-1)")), "since_ms");
  EXPECT_EQ(error_field(replaced(R"("attempt":1)", R"("attempt":0)")), "attempt");
  EXPECT_EQ(error_field(replaced(R"("attempt":1)", R"("attempt":99999999999)")), "attempt");
  EXPECT_EQ(error_field(replaced(R"(,"requested_ms":5)", "")), "requested_ms");
  EXPECT_EQ(error_field(replaced(R"("kind":"full")", R"("kind":"refresh")")), "keys");
}

}  // namespace
}  // namespace jirasync
