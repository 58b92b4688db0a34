#pragma once

#include <cstdint>

#include "common/clock/clock.hpp"
#include "common/jira/jira_client.hpp"
#include "common/store/field_catalog.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {

// Keeps Jira's field list (GET /rest/api/3/field) in the FieldCatalog, so
// JQL on the cache can name custom fields as people do. Read on a full sync
// or when the stored list is a day old, one request under the shared rate
// limit; several projects' full syncs starting together read it once.
class FieldListRefresh {
 public:
  static constexpr int64_t kMaxAgeMs = 24 * 3600 * 1000;
  // A full sync within this long of the last read does not read it again.
  static constexpr int64_t kFullSyncRereadMs = 10 * 60 * 1000;

  FieldListRefresh(FieldCatalog& catalog, SharedRateLimit& rate_limit, Clock& clock)
      : catalog_(catalog), rate_limit_(rate_limit), clock_(clock) {}

  // Reads and stores the list when due. A failure (Jira or the database) is
  // logged and leaves the stored list as it was: the sync goes on without it.
  // Returns whether a new list was stored.
  bool refresh_if_due(JiraClient& client, bool full_sync);

 private:
  FieldCatalog& catalog_;
  SharedRateLimit& rate_limit_;
  Clock& clock_;
};

}  // namespace jirasync
