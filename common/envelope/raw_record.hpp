#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace jirasync {

// One issue exactly as Jira returned it. Topic `issues.raw`, key = Jira issue id.
struct IssueSnapshot {
  std::string run_id;
  std::string project;
  std::string issue_id;
  std::string key;
  int64_t updated_ms = 0;  // from fields.updated, 0 when unreadable (reconciler rejects)
  int64_t fetched_ms = 0;
  std::string issue_json;  // the issue object verbatim
  bool operator==(const IssueSnapshot&) const = default;
};

// A page of ids from the deletion sweep. Key = "sweep:" + project (one partition,
// ordered with its end marker).
struct SweepChunk {
  std::string run_id;
  std::string project;
  int seq = 0;  // 0-based
  std::vector<std::string> issue_ids;
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

using RawRecord = std::variant<IssueSnapshot, SweepChunk, SweepEnd>;

std::string encode(const RawRecord& record);
// Throws PayloadError for malformed envelopes (the issue_json itself is not parsed here).
RawRecord decode_raw_record(const std::string& json);

}  // namespace jirasync
