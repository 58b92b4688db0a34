#pragma once

#include <string>
#include <vector>

#include "common/store/sync_run.hpp"

namespace jirasync {

// A run as the control API and `jirasync runs --json` show it.
std::string run_to_json(const SyncRun& run);
std::string runs_to_json(const std::vector<SyncRun>& runs);

}  // namespace jirasync
