#pragma once

#include <cstdint>

#include "common/store/run_store.hpp"

namespace jirasync {

// The start of the newest successful sync of any project that was not a
// refresh (what a template's `last-sync` date means); 0 when there is none.
// Looks at the latest 200 runs.
int64_t last_sync_ms(RunStore& runs);

}  // namespace jirasync
