#include "common/templates/template_jql_check.hpp"

#include "common/jql/parser.hpp"
#include "common/jql/sql_compiler.hpp"

namespace jirasync {

TemplateCatalog::JqlCheck cache_jql_check(
    std::function<std::vector<CustomFieldName>()> custom_fields) {
  return [custom_fields = std::move(custom_fields)](const std::string& jql) {
    const JqlQuery query = parse_jql(jql);
    JqlContext context;
    context.account_id = "template-check";
    context.now_ms = 1'700'000'000'000;
    context.custom_fields = custom_fields;
    (void)compile_jql(query, Backend::kSqlite, context);
    (void)compile_jql(query, Backend::kPostgres, context);
  };
}

}  // namespace jirasync
