#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace jirasync {

// How fresh a cached ticket is: the newest moment the cache is known to have
// matched Jira for it. That is the latest of: the row's last write, a refresh
// that found it unchanged (checked), and the start of the project's latest
// successful incremental/full/refetch run (which would have fetched it had it
// changed since the cursor).
// That latest moment, from the row's last write, the last refresh that found
// it unchanged and the start of its project's latest good run (0 = never).
inline int64_t newest_match_ms(int64_t synced_ms, int64_t checked_ms, int64_t verified_ms) {
  return std::max({synced_ms, checked_ms, verified_ms});
}

struct TicketAge {
  std::string ticket_id;
  std::string project;
  int64_t synced_ms = 0;
};

// The freshness seam the read commands (show, refresh, search --source auto)
// use; separate from DecisionSink, which only the pipeline writes through.
class TicketFreshness {
 public:
  virtual ~TicketFreshness() = default;
  // Missing ids are absent from the result.
  virtual std::map<std::string, TicketAge> ages(const std::vector<std::string>& ids) = 0;
  // A refresh run fetched these ids (changed or not) at `at_ms`.
  virtual void mark_checked(const std::vector<std::string>& ids, int64_t at_ms) = 0;
};

}  // namespace jirasync
