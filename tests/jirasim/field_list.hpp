#pragma once

#include <string>

#include "tests/jirasim/jql/jql.hpp"

namespace jirasim {

// GET /rest/api/{2,3}/field: every field the site serves as Jira's
// FieldDetails (id, key, name, custom, orderable, navigable, searchable,
// clauseNames, schema). Clients such as python-jira read it first to map
// field names to ids.
std::string field_list_json();

// The custom fields of that list by name, for JQL (`"Story point estimate" > 3`).
const jql::CustomFieldNames& custom_field_names();

}  // namespace jirasim
