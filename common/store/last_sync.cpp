#include "common/store/last_sync.hpp"

#include <algorithm>

namespace jirasync {

int64_t last_sync_ms(RunStore& runs) {
  int64_t newest = 0;
  for (const SyncRun& r : runs.list_runs("", 200)) {
    if (r.status == RunStatus::kSuccess && r.kind != JobKind::kRefresh)
      newest = std::max(newest, r.started_ms.value_or(r.created_ms));
  }
  return newest;
}

}  // namespace jirasync
