#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

namespace jirasync {

// One issue exactly as Jira returned it. Topic `issues.raw`, key = Jira issue id.
struct IssueSnapshot {
  std::string run_id;
  std::string project;
  std::string issue_id;
  std::string key;
  int64_t updated_ms = 0;  // from fields.updated, 0 when unreadable (reconciler rejects)
  int64_t fetched_ms = 0;
  // The issue object: on the topic exactly as Jira sent it (it must be one
  // JSON value; the fetcher's parse guarantees that). decode_raw_record
  // gives it back re-serialised compactly; parse_raw_record leaves it empty.
  std::string issue_json;
  // Why the fetcher could not carry the issue (too deep to parse safely):
  // then "issue" is null and the reconciler dead-letters the issue by id.
  std::string unreadable;
  bool operator==(const IssueSnapshot&) const = default;
};

// A page of ids from the deletion sweep. Key = "sweep:" + project (one partition,
// ordered with its end marker).
struct SweepChunk {
  std::string run_id;
  std::string project;
  int seq = 0;  // 0-based
  std::vector<std::string> issue_ids;
  // Ids Jira still has that the listing of a project with a sync scope did
  // not return: outside the scope (or moved away). The writer marks them out
  // of scope instead of deleting them. Written only when true.
  bool out_of_scope = false;
  bool operator==(const SweepChunk&) const = default;
};

// The sweep finished: `chunks` chunks were sent. Only a complete sweep deletes.
struct SweepEnd {
  std::string run_id;
  std::string project;
  int chunks = 0;
  int64_t total_ids = 0;
  int64_t started_ms = 0;  // issues created after this are never swept away
  bool operator==(const SweepEnd&) const = default;
};

// An issue a refresh asked for by id that Jira no longer returns: a deletion
// (a webhook's issue_deleted) verified against Jira. Key = the issue id.
struct IssueGone {
  std::string run_id;
  std::string project;
  std::string issue_id;
  bool operator==(const IssueGone&) const = default;
};

using RawRecord = std::variant<IssueSnapshot, SweepChunk, SweepEnd, IssueGone>;

std::string encode(const RawRecord& record);
// Throws PayloadError for malformed envelopes (the issue itself is not validated here).
RawRecord decode_raw_record(const std::string& json);

// The reconciler's decoding: envelope and issue in one parse of untrusted
// text (bounded nesting, UTF-8 checked). `issue` points into `doc` for
// snapshots (IssueSnapshot::issue_json stays empty) and is null otherwise.
struct ParsedRawRecord {
  RawRecord record;
  const rapidjson::Value* issue = nullptr;
};
ParsedRawRecord parse_raw_record(const std::string& json, rapidjson::Document& doc);

}  // namespace jirasync
