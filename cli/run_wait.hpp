#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/clock/clock.hpp"
#include "common/store/run_store.hpp"

namespace jirasync {

// How often `sync --wait` reads its runs: one primary-key read (20 a second
// cost nothing), so the CLI sees the run's end within this (it was 200 ms).
constexpr int64_t kRunWaitPollMs = 50;

// Polls (on `clock`) until every run ended (success or failed), drawing
// progress. Returns true when all succeeded; false as soon as `abort` says so.
bool wait_for_runs(RunStore& runs, const std::vector<std::string>& run_ids,
                   const std::function<bool()>& abort, Clock& clock);

}  // namespace jirasync
