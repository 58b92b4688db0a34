#pragma once

#include "common/json/json_writer.hpp"
#include "common/templates/query_template.hpp"

namespace jirasync {

// One query template as GET /api/v1/templates and MCP list_templates show it:
// {"name","description","params":[{"name","kind","default"|null}],"jql","builtin"}.
void write_query_template(JsonWriter& w, const QueryTemplate& t);

}  // namespace jirasync
