#include "services/api/json/issue_origin.hpp"

#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

IssueOrigin origin_of(ApiContext& ctx, const TicketAge& age) {
  IssueOrigin o;
  o.synced_ms = age.synced_ms;
  o.stale = is_stale(ctx.config, age.project, age.synced_ms, ctx.clock.now_ms());
  return o;
}

IssueOrigin origin_of(ApiContext& ctx, const IssueDocument& document) {
  if (document.age) return origin_of(ctx, *document.age);
  IssueOrigin o;
  o.stale = is_stale(ctx.config, document.ticket.issue.project_key, 0, ctx.clock.now_ms());
  return o;
}

}  // namespace jirasync
