#pragma once

#include <string>

#include "common/json/json_writer.hpp"
#include "common/store/sync_run.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

// A run as /api/v1 and MCP show it: {"id","project","kind","status","trigger",
// "emitted","applied","expected_total","created_ms","started_ms",
// "finished_ms","error"} (times null until they happen; secrets redacted).
void write_api_run(JsonWriter& w, const SyncRun& run);
std::string api_run_json(const SyncRun& run);

// "runs":[{"run_id","project","started"}]: what a sync or refresh request started.
void write_started_runs(JsonWriter& w, const std::vector<SyncRequests::Started>& started);

// Finished runs end their event stream.
bool run_is_finished(const SyncRun& run);

}  // namespace jirasync
