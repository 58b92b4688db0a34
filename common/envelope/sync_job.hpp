#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jirasync {

enum class JobKind { kIncremental, kFull, kRefetch, kRefresh };

const char* to_string(JobKind kind);
JobKind job_kind_from_string(const std::string& s);  // throws PayloadError("kind", ...)

// What the scheduler asks a fetcher to do. Topic `jobs`, key = project key.
struct SyncJob {
  static constexpr int kSchema = 1;
  std::string run_id;
  std::string project;
  JobKind kind = JobKind::kIncremental;
  std::vector<std::string> keys;  // only for kRefresh
  int64_t since_ms = 0;           // cursor (issues updated at or after); 0 = everything
  int attempt = 1;
  int64_t requested_ms = 0;
  bool operator==(const SyncJob&) const = default;
};

std::string encode(const SyncJob& job);
// Throws PayloadError naming the field for anything malformed or of an unknown schema.
SyncJob decode_sync_job(const std::string& json);

}  // namespace jirasync
