#pragma once

#include <string>

namespace jirasim {

// GET /rest/api/{2,3}/field: every field the site serves as Jira's
// FieldDetails (id, key, name, custom, orderable, navigable, searchable,
// clauseNames, schema). Clients such as python-jira read it first to map
// field names to ids.
std::string field_list_json();

}  // namespace jirasim
