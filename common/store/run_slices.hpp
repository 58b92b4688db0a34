#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// What one fetched slice adds to its run.
struct SliceOutcome {
  int64_t emitted = 0;         // records put on issues.raw
  int64_t fetched = 0;         // issue snapshots among them
  int64_t api_calls = 0;       // requests Jira answered for the slice
  int64_t max_updated_ms = 0;  // newest `updated` emitted (cursor material)
  std::string fetched_by;      // the fetcher that did it ("host:pid"), for operators
};

// The accounting of a run whose bulkfetch chunks travel as slices on
// fetch.slices and are fetched by any fetcher (docs/architecture.md, *Slices*).
// A run's slices belong to one listing: the owner opens a new one each time it
// lists (a job delivered again after a crash lists again), and slices of an
// older listing or attempt count nothing.
class RunSlices {
 public:
  virtual ~RunSlices() = default;

  // A new listing of the run's current attempt; what slices of an earlier
  // listing recorded no longer counts, and the fetch is not complete.
  virtual void open(const std::string& run_id, const std::string& listing, int64_t now_ms) = 0;
  // Every slice of the listing is published: how many, and the cursor's cap
  // (the run's cursor never passes it).
  virtual void close(const std::string& run_id, const std::string& listing, int64_t slices,
                     int64_t cursor_cap_ms) = 0;
  // Whether slice `seq` is still to be fetched: its run is running under
  // `attempt` and `listing`, and the slice was not recorded yet.
  virtual bool wanted(const std::string& run_id, int attempt, const std::string& listing,
                      int64_t seq) = 0;
  // Records a fetched slice once and adds its outcome to the run, which it
  // finalises when everything is fetched and applied. False when the slice
  // was recorded already or its listing is no longer the run's.
  virtual bool complete(const std::string& run_id, const std::string& listing, int64_t seq,
                        const SliceOutcome& outcome, int64_t now_ms) = 0;
  // Keeps the run's lease while a slice is fetched.
  virtual void touch(const std::string& run_id, int64_t now_ms) = 0;
};

}  // namespace jirasync
