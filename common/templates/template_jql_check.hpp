#pragma once

#include <functional>
#include <vector>

#include "common/jql/sql_compiler.hpp"
#include "common/templates/template_catalog.hpp"

namespace jirasync {

// The check `templates --check` and `jirasync check` run: the cache's JQL
// parser, then its SQL compiler for SQLite and for PostgreSQL (a template
// must run on either cache). `custom_fields` names the site's custom fields
// (the stored field list) for templates that name one.
TemplateCatalog::JqlCheck cache_jql_check(
    std::function<std::vector<CustomFieldName>()> custom_fields = {});

}  // namespace jirasync
