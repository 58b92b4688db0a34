#include "services/api/json/api_jql_context.hpp"

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/store/issue_search.hpp"

namespace jirasync {

JqlContext jql_context_of(ApiContext& ctx) {
  JqlContext context;
  context.account_id = ctx.config.jira.account_id;
  context.time_zone = ctx.config.jira.account_time_zone;
  context.now_ms = ctx.clock.now_ms();
  return ctx.search.with_field_list(context);  // custom fields by name
}

}  // namespace jirasync
