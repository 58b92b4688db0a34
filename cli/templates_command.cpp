#include "cli/templates_command.hpp"

#include <cstdio>
#include <filesystem>

#include "cli/terminal_text.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/templates/template_jql_check.hpp"
#include "common/url/database_url.hpp"

namespace jirasync {
namespace {

std::string params_text(const QueryTemplate& t) {
  std::string out;
  for (const TemplateParam& p : t.params()) {
    out += (out.empty() ? "" : " ") + p.name;
    if (p.kind != ParamKind::kText) out += std::string(":") + to_string(p.kind);
    if (!p.fallback.empty()) out += "=" + p.fallback;
  }
  return out;
}

void template_json(JsonOut& j, const QueryTemplate& t) {
  j.begin_object().text("name", t.name).text("description", t.description).text("jql", t.jql);
  j.flag("builtin", t.builtin).key("params").begin_array();
  for (const TemplateParam& p : t.params()) {
    j.begin_object().text("name", p.name).text("kind", to_string(p.kind));
    j.key("default");
    if (p.fallback.empty()) {
      j.null();
    } else {
      j.text(p.fallback);
    }
    j.end_object();
  }
  j.end_array().end_object();
}

int print_problems(const std::vector<TemplateCatalog::Problem>& problems, size_t total,
                   OutputFormat format) {
  if (format == OutputFormat::kJson || format == OutputFormat::kJsonl) {
    JsonOut all;
    if (format == OutputFormat::kJson) all.begin_array();
    for (const auto& p : problems) {
      JsonOut one;
      JsonOut& j = format == OutputFormat::kJson ? all : one;
      j.begin_object().text("name", p.name).text("problem", p.reason).end_object();
      if (format == OutputFormat::kJsonl) std::printf("%s\n", one.str().c_str());
    }
    if (format == OutputFormat::kJson) std::printf("%s\n", all.end_array().str().c_str());
  } else if (format == OutputFormat::kCsv) {
    std::fputs(csv_row({"name", "problem"}).c_str(), stdout);
    for (const auto& p : problems) std::fputs(csv_row({p.name, p.reason}).c_str(), stdout);
  } else {
    for (const auto& p : problems)
      std::printf("FAIL  %s: %s\n", printable(p.name).c_str(), printable(p.reason).c_str());
    std::printf("%zu template(s) checked, %zu problem(s)\n", total, problems.size());
  }
  return problems.empty() ? 0 : 1;
}

}  // namespace

TemplateCatalog::JqlCheck template_jql_check(const std::string& database_url) {
  // Custom field names from the cache's stored field list, read only for a
  // template naming a field the compiler does not know; a cache that cannot
  // be read (none yet, or unreachable) knows no names.
  return cache_jql_check([database_url]() -> std::vector<CustomFieldName> {
    try {
      // Opening an SQLite file that is not there would create it.
      const DatabaseUrl url = parse_database_url(database_url);
      if (url.backend == Backend::kSqlite && !std::filesystem::exists(url.sqlite_path)) return {};
      return stored_custom_fields(Database::open(database_url))();
    } catch (const std::exception&) {
      return {};
    }
  });
}

int templates_command(CliContext& ctx, bool check, OutputFormat format) {
  const TemplateCatalog catalog(ctx.config().templates);
  if (check)
    return print_problems(catalog.check(template_jql_check(ctx.config().database_url)),
                          catalog.all().size(), format);
  const auto& all = catalog.all();
  if (format == OutputFormat::kJson) {
    JsonOut j;
    j.begin_array();
    for (const QueryTemplate& t : all) template_json(j, t);
    std::printf("%s\n", j.end_array().str().c_str());
  } else if (format == OutputFormat::kJsonl) {
    for (const QueryTemplate& t : all) {
      JsonOut j;
      template_json(j, t);
      std::printf("%s\n", j.str().c_str());
    }
  } else if (format == OutputFormat::kCsv) {
    std::fputs(csv_row({"name", "source", "params", "description", "jql"}).c_str(), stdout);
    for (const QueryTemplate& t : all)
      std::fputs(
          csv_row({t.name, t.builtin ? "builtin" : "config", params_text(t), t.description, t.jql})
              .c_str(),
          stdout);
  } else {
    std::printf("%-26s %-8s %-22s %s\n", "TEMPLATE", "SOURCE", "PARAMS", "DESCRIPTION");
    for (const QueryTemplate& t : all)
      std::printf("%-26s %-8s %-22s %s\n    %s\n", printable(t.name).c_str(),
                  t.builtin ? "builtin" : "config", printable(params_text(t)).c_str(),
                  printable(t.description).c_str(), printable(t.jql).c_str());
    std::printf("\n`jirasync search --template NAME --param k=v` runs one.\n");
  }
  return 0;
}

std::string check_templates(const Config& config) {
  const TemplateCatalog catalog(config.templates);
  const auto problems = catalog.check(template_jql_check(config.database_url));
  if (!problems.empty())
    throw std::runtime_error(std::to_string(problems.size()) +
                             " bad template(s); first: " + problems.front().reason);
  return std::to_string(catalog.all().size()) + " template(s) parse (" +
         std::to_string(builtin_templates().size()) + " built-in)";
}

}  // namespace jirasync
