#pragma once

#include <string>

#include "common/jql/jql_syntax.hpp"
#include "common/jql/sql_compiler.hpp"
#include "services/api/api_context.hpp"
#include "services/api/api_route.hpp"
#include "services/api/json/api_jql_context.hpp"  // jql_context_of

namespace jirasync {

// The query of GET /api/v1/issues: `jql`, or `template` with `param.NAME`
// values, parsed and compiled (so it runs on the cache), each problem a
// BadParameter naming jql, template or param.NAME.
struct IssueQuery {
  std::string jql;  // as given, or the template expanded
  JqlQuery query;
  JqlContext context;
};
IssueQuery issue_query_of(ApiContext& ctx, const ApiRequest& request);

}  // namespace jirasync
