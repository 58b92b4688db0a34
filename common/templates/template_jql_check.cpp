#include "common/templates/template_jql_check.hpp"

#include "common/jql/parser.hpp"
#include "common/jql/sql_compiler.hpp"

namespace jirasync {

TemplateCatalog::JqlCheck cache_jql_check() {
  return [](const std::string& jql) {
    const JqlQuery query = parse_jql(jql);
    JqlContext context;
    context.account_id = "template-check";
    context.now_ms = 1'700'000'000'000;
    (void)compile_jql(query, Backend::kSqlite, context);
    (void)compile_jql(query, Backend::kPostgres, context);
  };
}

}  // namespace jirasync
