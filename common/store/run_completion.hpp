#pragma once

#include <string>

#include "common/store/sync_run.hpp"

namespace jirasync {

// The run-finalisation invariant, in one place: a run is a success once it is
// running, its fetch is complete, every slice of its listing was fetched
// (fetch.slices) and the writer has applied at least as many items as the
// fetchers emitted. Three statements can make it true — the owning fetcher's
// mark_fetch_complete, a slice's completion and the writer's batch — and
// whichever commits last finalises the run.
bool run_completes(const SyncRun& run);

// The same rule in SQL over a sync_runs row, each quantity given as the SQL
// expression the statement sees ("applied + ?" for a batch adding to applied;
// "1 = 1" for a statement that itself completes the fetch). `emitted` is the
// owner's part: the slices' (`slice_emitted`) is added; `slices_done` is the
// count of recorded slices ("slices_done + 1" for a statement recording one).
std::string run_completes_sql(const std::string& fetch_complete, const std::string& applied,
                              const std::string& emitted,
                              const std::string& slices_done = "slices_done");

// The SET assignments that finalise the run when the rule holds: status and
// finished_ms. Placeholders, in order: those of the three expressions, then
// those of the three again, then finished_ms.
std::string finalise_run_sql(const std::string& fetch_complete, const std::string& applied,
                             const std::string& emitted,
                             const std::string& slices_done = "slices_done");

}  // namespace jirasync
