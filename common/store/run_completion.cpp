#include "common/store/run_completion.hpp"

namespace jirasync {

bool run_completes(const SyncRun& run) {
  return run.status == RunStatus::kRunning && run.fetch_complete && run.applied >= run.emitted;
}

std::string run_completes_sql(const std::string& fetch_complete, const std::string& applied,
                              const std::string& emitted) {
  return "status = 'running' AND " + fetch_complete + " AND " + applied + " >= " + emitted;
}

std::string finalise_run_sql(const std::string& fetch_complete, const std::string& applied,
                             const std::string& emitted) {
  const std::string done = run_completes_sql(fetch_complete, applied, emitted);
  return "status = CASE WHEN " + done +
         " THEN 'success' ELSE status END, finished_ms = CASE WHEN " + done +
         " THEN ? ELSE finished_ms END";
}

}  // namespace jirasync
