// POST /rest/api/3/jql/parse: each query's syntax tree as Jira's JqlQuery, or
// its error in Jira's wording. The cache's parser and compiler decide
// (validation=strict also compiles, so a field the cache cannot search is an
// error; warn/none only parse).
#include <stdexcept>

#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/jql/sql_compiler.hpp"
#include "common/json/json_writer.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"
#include "services/api/jira_compat/jira_error.hpp"
#include "services/api/jira_compat/jira_request.hpp"

namespace jirasync {
namespace {

void field(JsonWriter& w, const std::string& name) {
  w.Key("field");
  w.StartObject();
  write_string(w, "name", name);
  w.EndObject();
}

void operand(JsonWriter& w, const JqlOperand& o) {
  w.StartObject();
  switch (o.kind) {
    case JqlOperand::Kind::kValue:
      write_string(w, "value", o.value);
      break;
    case JqlOperand::Kind::kFunction:
      write_string(w, "function", o.value);
      write_strings(w, "arguments", o.arguments);
      break;
    case JqlOperand::Kind::kList:
      w.Key("values");
      w.StartArray();
      for (const auto& item : o.items) operand(w, item);
      w.EndArray();
      break;
    case JqlOperand::Kind::kEmpty:
      write_string(w, "keyword", "empty");
      break;
  }
  w.EndObject();
}

// Iterative over the clause tree's depth would be safer, but the parser
// already bounds nesting (a query is a short, checked text).
void clause(JsonWriter& w, const JqlClause& c) {
  w.StartObject();
  if (c.kind == JqlClause::Kind::kTerminal) {
    field(w, c.field);
    const bool history = c.op == JqlOperator::kWas || c.op == JqlOperator::kWasNot ||
                         c.op == JqlOperator::kWasIn || c.op == JqlOperator::kWasNotIn ||
                         c.op == JqlOperator::kChanged;
    write_string(w, "operator", to_string(c.op));
    if (c.op != JqlOperator::kChanged) {
      w.Key("operand");
      operand(w, c.operand);
    }
    if (history) {
      w.Key("predicates");
      w.StartArray();
      w.EndArray();
    }
  } else {
    write_string(w, "operator",
                 c.kind == JqlClause::Kind::kAnd  ? "and"
                 : c.kind == JqlClause::Kind::kOr ? "or"
                                                  : "not");
    w.Key("clauses");
    w.StartArray();
    for (const auto& child : c.children) clause(w, child);
    w.EndArray();
  }
  w.EndObject();
}

void structure(JsonWriter& w, const JqlQuery& q) {
  w.Key("structure");
  w.StartObject();
  if (q.where) {
    w.Key("where");
    clause(w, *q.where);
  }
  if (!q.order_by.empty()) {
    w.Key("orderBy");
    w.StartObject();
    w.Key("fields");
    w.StartArray();
    for (const auto& key : q.order_by) {
      w.StartObject();
      field(w, key.field);
      if (key.ascending) write_string(w, "direction", *key.ascending ? "asc" : "desc");
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
}

RouteResponse parse_queries(ApiContext& ctx, const ApiRequest& request) {
  const std::string validation = request.param("validation").value_or("strict");
  if (validation != "strict" && validation != "warn" && validation != "none") {
    throw std::invalid_argument("The 'validation' parameter must be strict, warn or none.");
  }
  rapidjson::Document body;
  jira_body(request.http, body);
  const auto queries = jira_body_strings(body, "queries");
  if (!queries || queries->empty()) {
    return jira_error(400, {"'queries' must list at least one JQL query."},
                      {{"queries", "at least one JQL query"}});
  }
  const JqlContext context = jira_jql_context(ctx);
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("queries");
  w.StartArray();
  for (const auto& text : *queries) {
    w.StartObject();
    write_string(w, "query", text);
    try {
      const JqlQuery q = parse_jql(text);
      std::vector<std::string> problems;
      if (validation != "none") {
        try {
          compile_jql(q, Backend::kSqlite, context);
        } catch (const JqlError& e) {
          problems.push_back(jira_jql_message(e));
        }
      }
      structure(w, q);
      if (validation == "strict" && !problems.empty()) write_strings(w, "errors", problems);
      if (validation == "warn" && !problems.empty()) write_strings(w, "warnings", problems);
    } catch (const JqlError& e) {
      write_strings(w, "errors", {jira_jql_message(e)});
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace

std::vector<ApiRoute> jira_jql_parse_routes(ApiContext& ctx) {
  return {{"POST", "/rest/api/3/jql/parse", ApiScope::kRead,
           "Jira: parse JQL queries into their structure, with the cache's errors",
           jira_handler([&ctx](const ApiRequest& r) { return parse_queries(ctx, r); })}};
}

}  // namespace jirasync
