#pragma once

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
