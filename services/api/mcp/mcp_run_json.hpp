#pragma once

#include "common/json/json_writer.hpp"
#include "common/store/sync_run.hpp"

namespace jirasync {

// A sync run as the API contract shows it: {"id","project","kind","status",
// "trigger","emitted","applied","expected_total","created_ms","started_ms",
// "finished_ms","error"}.
void write_run(JsonWriter& w, const SyncRun& run);

}  // namespace jirasync
