#pragma once

#include "common/jql/sql_compiler.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

// What currentUser() and relative dates mean for a query of the API (REST or
// MCP): the configured account and its time zone, at the clock's now.
JqlContext jql_context_of(ApiContext& ctx);

}  // namespace jirasync
