#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/store/apply_plan.hpp"
#include "common/store/database.hpp"

namespace jirasync {

// A sweep deletion the safety stop held (ApplyPlan::limit_sweeps), as stored.
struct StoredSweepHold {
  int64_t id = 0;
  SweepHold hold;
  std::string status;  // held | released | superseded
  std::optional<int64_t> released_ms;
};

// Every hold, newest first; only `status == "held"` when `pending_only`.
std::vector<StoredSweepHold> list_sweep_holds(Database& db, bool pending_only);

// Applies the project's newest held deletion in one transaction: marks
// deleted the tickets the sweep did not list, except those a later sync saw
// (synced after the hold) or created after the sweep started, with a
// "deleted" history row each. Returns the ids deleted; nullopt when the
// project has no held deletion.
std::optional<std::vector<std::string>> release_sweep_hold(Database& db, const std::string& project,
                                                           int64_t now_ms);

}  // namespace jirasync
