#pragma once

#include "common/store/issue_documents.hpp"
#include "common/store/ticket_freshness.hpp"
#include "services/api/json/cache_json.hpp"

namespace jirasync {

struct ApiContext;

// Where one cached ticket stands (source "cache"; stale against its project's
// cache_ttl), from the age read with it.
IssueOrigin origin_of(ApiContext& ctx, const TicketAge& age);
// The same for one issue document; one without an age counts as never synced.
IssueOrigin origin_of(ApiContext& ctx, const IssueDocument& document);

}  // namespace jirasync
