#pragma once

#include <string>
#include <vector>

#include "common/jql/sql_compiler.hpp"

namespace jirasync {

// Lets a query name custom fields as Jira does (`"Story Points" > 3`,
// case-insensitive). A name two fields share goes to the ambiguous list: a
// query that uses it gets an error naming the ids to choose from. A field
// named like a system field is reachable only as cf[N] (the system field wins).
void add_custom_field_names(JqlContext& context, const std::vector<CustomFieldName>& fields);

}  // namespace jirasync
