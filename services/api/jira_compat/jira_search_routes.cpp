// GET|POST /rest/api/3/search/jql (nextPageToken = the cache's keyset cursor)
// and the classic GET /rest/api/{2,3}/search (startAt/maxResults/total), which
// Atlassian removed but older clients such as python-jira 3.x still call.
#include <optional>
#include <stdexcept>

#include "common/jql/parser.hpp"
#include "common/json/json_writer.hpp"
#include "common/store/issue_search.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"
#include "services/api/jira_compat/jira_error.hpp"
#include "services/api/jira_compat/jira_issue_loader.hpp"
#include "services/api/jira_compat/jira_request.hpp"

namespace jirasync {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPageWithFields = 100;  // Jira's cap when any field beyond id/key is asked
constexpr int kMaxPage = 5000;
constexpr int kScanChunk = 10000;

struct SearchAsk {
  std::string jql;
  std::optional<std::string> token;
  std::optional<int> max_results;
  std::vector<std::string> fields;
};

// Whether rendering shows other issues (parent, sub-tasks, link ends).
bool shows_related(const JiraFieldSelection& fields) {
  return fields.includes("parent") || fields.includes("subtasks") || fields.includes("issuelinks");
}

// The issues of a page in batches (see JiraIssueLoader::load); only id and
// key need no read of the tickets.
void load_page(JiraIssueLoader& loader, const std::vector<IssueSearchRow>& rows,
               const JiraFieldSelection& fields) {
  if (fields.only_id_or_key()) return;
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const auto& row : rows) ids.push_back(row.id);
  loader.load(ids, shows_related(fields));
}

// A page's JSON buffer sized up front: growing from rapidjson's 256 bytes
// to a page of 100 issues with every field (~660 kB) reallocated and
// copied it ~17 times.
size_t page_buffer_guess(size_t rows, const JiraFieldSelection& fields) {
  constexpr size_t kBytesPerFullIssue = 8 * 1024;
  return fields.only_id_or_key() ? 256 + rows * 64 : 256 + rows * kBytesPerFullIssue;
}

// One row of a page as an issue: only id and key need no read of the ticket.
void write_row(JsonWriter& w, const IssueSearchRow& row, const JiraFieldSelection& fields,
               const JiraRenderContext& render, JiraIssueLoader& loader) {
  if (fields.only_id_or_key()) {
    JiraIssue bare;
    bare.id = row.id;
    bare.key = row.key;
    write_jira_issue(w, bare, fields, render);
    return;
  }
  const JiraIssue* issue = loader.find(row.key);
  if (issue == nullptr) issue = loader.find(row.id);
  if (issue != nullptr) write_jira_issue(w, *issue, fields, render);
}

RouteResponse search_jql(ApiContext& ctx, const ApiRequest& request, const SearchAsk& ask) {
  const JqlQuery query = parse_jql(ask.jql);
  if (!query.where) {
    throw std::invalid_argument(
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your "
        "query.");
  }
  const JiraFieldSelection fields = JiraFieldSelection::parse(ask.fields, "id");
  int limit = ask.max_results.value_or(kDefaultPage);
  if (!fields.only_id_or_key()) limit = std::min(limit, kMaxPageWithFields);
  IssueSearchPage page;
  try {
    page = ctx.search.search(query, jira_jql_context(ctx), limit, ask.token.value_or(""));
  } catch (const std::invalid_argument&) {
    if (!ask.token) throw;
    throw std::invalid_argument("The provided next page token is invalid or expired.");
  }
  JiraIssueLoader loader(ctx.tickets);
  load_page(loader, page.rows, fields);
  const JiraRenderContext render = jira_render_context(ctx, request, 3, loader);
  rapidjson::StringBuffer buffer(nullptr, page_buffer_guess(page.rows.size(), fields));
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("issues");
  w.StartArray();
  for (const auto& row : page.rows) write_row(w, row, fields, render, loader);
  w.EndArray();
  if (!page.next_cursor.empty()) write_string(w, "nextPageToken", page.next_cursor);
  write_bool(w, "isLast", page.next_cursor.empty());
  w.EndObject();
  return RouteResponse::json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

RouteResponse search_jql_get(ApiContext& ctx, const ApiRequest& request) {
  SearchAsk ask;
  ask.jql = request.param("jql").value_or("");
  ask.token = request.param("nextPageToken");
  if (auto m = request.param("maxResults"))
    ask.max_results = jira_int("maxResults", *m, 1, kMaxPage);
  ask.fields = request.params("fields");
  return search_jql(ctx, request, ask);
}

RouteResponse search_jql_post(ApiContext& ctx, const ApiRequest& request) {
  rapidjson::Document body;
  jira_body(request.http, body);
  SearchAsk ask;
  auto jql = body.FindMember("jql");
  if (jql != body.MemberEnd() && !jql->value.IsNull()) {
    if (!jql->value.IsString()) throw std::invalid_argument("'jql' must be a string.");
    ask.jql.assign(jql->value.GetString(), jql->value.GetStringLength());
  }
  auto token = body.FindMember("nextPageToken");
  if (token != body.MemberEnd() && !token->value.IsNull()) {
    if (!token->value.IsString()) throw std::invalid_argument("'nextPageToken' must be a string.");
    ask.token = std::string(token->value.GetString(), token->value.GetStringLength());
  }
  auto max = body.FindMember("maxResults");
  if (max != body.MemberEnd() && !max->value.IsNull()) {
    if (!max->value.IsInt()) throw std::invalid_argument("'maxResults' must be a whole number.");
    ask.max_results = jira_int("maxResults", std::to_string(max->value.GetInt()), 1, kMaxPage);
  }
  ask.fields = jira_body_strings(body, "fields").value_or(std::vector<std::string>{});
  return search_jql(ctx, request, ask);
}

// startAt over a keyset search: the rows before it are read and skipped (a
// page of the cache is cheap to list), the rows after the page are not;
// `total` is counted by the database.
RouteResponse classic_search(ApiContext& ctx, const ApiRequest& request, int api_version) {
  const JqlQuery query = parse_jql(request.param("jql").value_or(""));
  const int start_at =
      request.param("startAt") ? jira_int("startAt", *request.param("startAt"), 0, 1 << 30) : 0;
  int max_results = request.param("maxResults")
                        ? jira_int("maxResults", *request.param("maxResults"), 0, 1 << 30)
                        : kDefaultPage;
  max_results = std::min(max_results, kMaxPageWithFields);  // Jira caps silently and says so
  const JiraFieldSelection fields =
      JiraFieldSelection::parse(request.params("fields"), "*navigable");
  const JqlContext jql_context = jira_jql_context(ctx);
  const int64_t total = ctx.search.count(query, jql_context);
  const int64_t end = std::min<int64_t>(int64_t{start_at} + max_results, total);
  std::vector<IssueSearchRow> rows;
  int64_t index = 0;
  std::string after;
  while (index < end && max_results > 0) {
    const int chunk = static_cast<int>(std::min<int64_t>(kScanChunk, end - index));
    IssueSearchPage page = ctx.search.search(query, jql_context, chunk, after);
    for (auto& row : page.rows) {
      if (index >= start_at) rows.push_back(std::move(row));
      ++index;
    }
    after = page.next_cursor;
    if (after.empty()) break;
  }
  JiraIssueLoader loader(ctx.tickets);
  load_page(loader, rows, fields);
  const JiraRenderContext render = jira_render_context(ctx, request, api_version, loader);
  rapidjson::StringBuffer buffer(nullptr, page_buffer_guess(rows.size(), fields));
  JsonWriter w(buffer);
  w.StartObject();
  write_string(w, "expand", "schema,names");
  write_int64(w, "startAt", start_at);
  write_int64(w, "maxResults", max_results);
  write_int64(w, "total", total);
  w.Key("issues");
  w.StartArray();
  for (const auto& row : rows) write_row(w, row, fields, render, loader);
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, std::string(buffer.GetString(), buffer.GetSize()));
}

}  // namespace

std::vector<ApiRoute> jira_search_routes(ApiContext& ctx) {
  std::vector<ApiRoute> routes;
  routes.push_back({"GET", "/rest/api/3/search/jql", ApiScope::kRead,
                    "Jira: search the cache with JQL (nextPageToken paging)",
                    jira_handler([&ctx](const ApiRequest& r) { return search_jql_get(ctx, r); })});
  routes.push_back({"POST", "/rest/api/3/search/jql", ApiScope::kRead,
                    "Jira: search the cache with JQL, the query in the body",
                    jira_handler([&ctx](const ApiRequest& r) { return search_jql_post(ctx, r); })});
  for (int version : {2, 3}) {
    routes.push_back(
        {"GET", "/rest/api/" + std::to_string(version) + "/search", ApiScope::kRead,
         "Jira: the classic search (startAt, maxResults, total), served from the cache",
         jira_handler(
             [&ctx, version](const ApiRequest& r) { return classic_search(ctx, r, version); })});
  }
  return routes;
}

}  // namespace jirasync
