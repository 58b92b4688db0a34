#pragma once

#include "common/templates/template_catalog.hpp"

namespace jirasync {

// The check `templates --check` and `jirasync check` run: the cache's JQL
// parser, then its SQL compiler for SQLite and for PostgreSQL (a template
// must run on either cache).
TemplateCatalog::JqlCheck cache_jql_check();

}  // namespace jirasync
