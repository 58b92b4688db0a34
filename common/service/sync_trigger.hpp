#pragma once

#include <string>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/envelope/sync_job.hpp"
#include "common/store/run_store.hpp"

namespace jirasync {

// Starting a sync: a run row (the per-project lease) and then its job on the
// `jobs` topic. Used by cron, manual triggers, retries and the CLI.
class SyncTrigger {
 public:
  SyncTrigger(RunStore& runs, BusProducer& producer, std::string jobs_topic, Clock& clock);

  struct Result {
    SyncRun run;
    bool started = false;  // false: the project already had an active run (reported, not queued)
  };
  Result trigger(const std::string& project, JobKind kind, const std::vector<std::string>& keys,
                 const std::string& why);
  // Sends the job of an existing queued run again (retry after backoff).
  void emit(const SyncRun& run);

 private:
  RunStore& runs_;
  BusProducer& producer_;
  std::string jobs_topic_;
  Clock& clock_;
};

std::string new_run_id(Clock& clock);

}  // namespace jirasync
