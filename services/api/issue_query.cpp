#include "services/api/issue_query.hpp"

#include <algorithm>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/jql/parser.hpp"
#include "common/store/last_sync.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_input.hpp"

namespace jirasync {
namespace {

constexpr const char* kParamPrefix = "param.";

// The template's JQL with the request's param.NAME values, checked here so
// each error names the query parameter (the expander words them for the CLI).
std::string expand_requested(ApiContext& ctx, const ApiRequest& request, const std::string& name) {
  const QueryTemplate* t = nullptr;
  try {
    t = &ctx.templates.find(name);
  } catch (const TemplateError& e) {
    throw BadParameter("template", e.what());
  }
  std::map<std::string, std::string> given;
  for (const auto& [param, value] : request.query) {
    if (param.rfind(kParamPrefix, 0) == 0) given[param.substr(6)] = value;
  }
  const std::vector<TemplateParam> params = t->params();
  for (const auto& [param, value] : given) {
    if (std::none_of(params.begin(), params.end(),
                     [&](const TemplateParam& p) { return p.name == param; })) {
      std::string known;
      for (const TemplateParam& p : params) known += (known.empty() ? "" : ", ") + p.name;
      throw BadParameter(kParamPrefix + param,
                         "template " + t->name + " has no parameter " + param +
                             (known.empty() ? " (it takes none)" : " (it takes " + known + ")"));
    }
  }
  for (const TemplateParam& p : params) {
    if (given.count(p.name) == 0 && p.fallback.empty()) {
      throw BadParameter(kParamPrefix + p.name, "template " + t->name + " needs param." + p.name +
                                                    " (" + to_string(p.kind) + ")");
    }
  }
  try {
    return expand_template(*t, given, {last_sync_ms(ctx.runs)});
  } catch (const TemplateError& e) {
    const std::string message = e.what();
    for (const auto& [param, value] : given) {
      if (message.find("parameter " + param + ":") != std::string::npos)
        throw BadParameter(kParamPrefix + param, message);
    }
    throw BadParameter("template", message);
  }
}

}  // namespace

IssueQuery issue_query_of(ApiContext& ctx, const ApiRequest& request) {
  const auto jql = request.param("jql");
  const auto name = request.param("template");
  if (jql && name) throw BadParameter("template", "give jql or template, not both");
  if (!jql && !name) throw BadParameter("jql", "give jql=QUERY or template=NAME");
  IssueQuery out;
  out.jql = jql ? *jql : expand_requested(ctx, request, *name);
  out.context = jql_context_of(ctx);
  const std::string parameter = jql ? "jql" : "template";
  try {
    out.query = parse_jql(out.jql);
    // The backend only changes the SQL text, not what is accepted.
    (void)compile_jql(out.query, Backend::kSqlite, out.context);
  } catch (const JqlError& e) {
    throw BadParameter(parameter, e.what());
  }
  return out;
}

}  // namespace jirasync
