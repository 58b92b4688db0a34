#include "services/api/mcp/mcp_issue_origin.hpp"

#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "common/store/ticket_freshness.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

IssueOrigin cached_origin(ApiContext& ctx, const std::string& id, const std::string& project,
                          int64_t last_synced_ms) {
  IssueOrigin origin;
  const auto ages = ctx.freshness.ages({id});
  const auto it = ages.find(id);
  origin.synced_ms = it != ages.end() ? it->second.synced_ms : last_synced_ms;
  origin.stale = is_stale(ctx.config, project, origin.synced_ms, ctx.clock.now_ms());
  return origin;
}

}  // namespace jirasync
