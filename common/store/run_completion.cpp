#include "common/store/run_completion.hpp"

namespace jirasync {

bool run_completes(const SyncRun& run) {
  return run.status == RunStatus::kRunning && run.fetch_complete &&
         run.slices_done >= run.slices_total && run.applied >= run.emitted;
}

std::string run_completes_sql(const std::string& fetch_complete, const std::string& applied,
                              const std::string& emitted, const std::string& slices_done) {
  return "status = 'running' AND " + fetch_complete + " AND " + slices_done +
         " >= slices_total AND " + applied + " >= " + emitted + " + slice_emitted";
}

std::string finalise_run_sql(const std::string& fetch_complete, const std::string& applied,
                             const std::string& emitted, const std::string& slices_done) {
  const std::string done = run_completes_sql(fetch_complete, applied, emitted, slices_done);
  return "status = CASE WHEN " + done +
         " THEN 'success' ELSE status END, finished_ms = CASE WHEN " + done +
         " THEN ? ELSE finished_ms END";
}

}  // namespace jirasync
