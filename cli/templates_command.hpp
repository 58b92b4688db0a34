#pragma once

#include "cli/cli_context.hpp"
#include "common/templates/template_catalog.hpp"

namespace jirasync {

// The JQL check `templates --check` and `jirasync check` run every template
// through (the cache's JQL parser and SQL compiler).
TemplateCatalog::JqlCheck template_jql_check(const std::string& database_url);

// `jirasync templates [--check]`: every template, or only the problems.
int templates_command(CliContext& ctx, bool check, OutputFormat format);

// For `jirasync check`: "26 templates (26 built-in)", or throws naming the
// first bad template.
std::string check_templates(const Config& config);

}  // namespace jirasync
