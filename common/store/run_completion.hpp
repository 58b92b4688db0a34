#pragma once

#include <string>

#include "common/store/sync_run.hpp"

namespace jirasync {

// The run-finalisation invariant, in one place: a run is a success once it is
// running, its fetch is complete and the writer has applied at least as many
// items as the fetcher emitted. Two statements can make it true — the
// fetcher's mark_fetch_complete and the writer's batch — and whichever
// commits second finalises the run.
bool run_completes(const SyncRun& run);

// The same rule in SQL over a sync_runs row, each quantity given as the SQL
// expression the statement sees ("applied + ?" for a batch adding to applied;
// "1 = 1" for a statement that itself completes the fetch).
std::string run_completes_sql(const std::string& fetch_complete, const std::string& applied,
                              const std::string& emitted);

// The SET assignments that finalise the run when the rule holds: status and
// finished_ms. Placeholders, in order: those of the three expressions, then
// those of the three again, then finished_ms.
std::string finalise_run_sql(const std::string& fetch_complete, const std::string& applied,
                             const std::string& emitted);

}  // namespace jirasync
