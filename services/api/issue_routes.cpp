#include "services/api/issue_routes.hpp"

#include <algorithm>
#include <set>

#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "common/jql/search_cursor.hpp"
#include "common/store/issue_documents.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_input.hpp"
#include "services/api/issue_query.hpp"
#include "services/api/issue_refresh.hpp"
#include "services/api/json/cache_json.hpp"
#include "services/api/json/issue_document.hpp"

namespace jirasync {
namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 1000;
// How long live/auto and max_age may wait for refresh runs, unless `budget` says.
constexpr int64_t kDefaultBudgetMs = 10'000;
constexpr int64_t kMaxBudgetMs = 60'000;
constexpr int64_t kMaxAgeLimitMs = 366LL * 86'400'000;

std::set<std::string> fields_param(const ApiRequest& request) {
  std::set<std::string> out;
  const auto text = request.param("fields");
  if (!text) return out;
  const auto& known = issue_row_fields();
  size_t start = 0;
  while (start <= text->size()) {
    size_t end = text->find(',', start);
    if (end == std::string::npos) end = text->size();
    const std::string name = text->substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string all;
      for (const auto& k : known) all += (all.empty() ? "" : ",") + k;
      throw BadParameter("fields",
                         "unknown field '" + name.substr(0, 40) + "' (known: " + all + ")");
    }
    out.insert(name);
  }
  return out;
}

std::string source_param(const ApiRequest& request) {
  const std::string source = request.param("source").value_or("cache");
  if (source != "cache" && source != "live" && source != "auto")
    throw BadParameter("source", "expected cache, live or auto");
  return source;
}

RouteResponse search_issues(ApiContext& ctx, const ApiRequest& request) {
  const std::string source = source_param(request);
  const std::set<std::string> fields = fields_param(request);
  const int limit = int_param(request, "limit", kDefaultLimit, 1, kMaxLimit);
  const int64_t budget = duration_param(request, "budget", kMaxBudgetMs).value_or(kDefaultBudgetMs);
  const IssueQuery q = issue_query_of(ctx, request);
  const std::string cursor = request.param("cursor").value_or("");
  if (!cursor.empty()) {
    try {
      (void)decode_search_cursor(cursor, compile_jql(q.query, Backend::kSqlite, q.context).order);
    } catch (const std::invalid_argument& e) {
      throw BadParameter("cursor", e.what());
    }
  }
  IssueSearchPage page = ctx.search.search(q.query, q.context, limit, cursor);
  std::vector<std::string> ids;
  for (const auto& r : page.rows) ids.push_back(r.id);
  auto origins = origins_of(ctx, ids);
  std::string note;
  if (source != "cache") {
    // auto refreshes what is older than its project's cache_ttl; live (on this
    // role, which never calls Jira itself) refreshes every cached issue the
    // page selects through the pipeline.
    std::vector<IssueToRefresh> wanted;
    size_t unkept = 0;
    for (const auto& r : page.rows) {
      const auto o = origins.find(r.id);
      const bool stale = o == origins.end() || o->second.stale;
      if (source == "auto" && !stale) continue;
      if (!configured_project(ctx.config, r.project)) {
        ++unkept;
        continue;
      }
      wanted.push_back({r.key, r.id, r.project});
    }
    if (unkept > 0)
      note = std::to_string(unkept) +
             " issue(s) of projects this cache does not keep cannot be "
             "refreshed";
    if (!wanted.empty()) {
      const RefreshWait wait =
          refresh_and_wait(ctx, wanted, budget, "api search --source " + source);
      if (!wait.note.empty()) note += (note.empty() ? "" : "; ") + wait.note;
      // Asked again: a refresh may change what the query selects.
      page = ctx.search.search(q.query, q.context, limit, cursor);
      ids.clear();
      for (const auto& r : page.rows) ids.push_back(r.id);
      auto after = origins_of(ctx, ids);
      for (auto& [id, o] : after) {
        const auto before = origins.find(id);
        if (before == origins.end() || o.synced_ms > before->second.synced_ms) o.source = "jira";
      }
      origins = std::move(after);
    }
    if (source == "live")
      note += std::string(note.empty() ? "" : "; ") +
              "live on the API refreshes the cached issues the query selects through the "
              "pipeline; issues not cached yet are not found";
  }
  const int64_t now = ctx.clock.now_ms();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("issues");
  w.StartArray();
  for (const auto& r : page.rows) {
    const auto o = origins.find(r.id);
    w.StartObject();
    write_issue_row(w, r, o != origins.end() ? o->second : IssueOrigin{"cache", 0, true}, now,
                    fields);
    w.EndObject();
  }
  w.EndArray();
  write_optional_string(
      w, "next_cursor",
      page.next_cursor.empty() ? std::nullopt : std::optional<std::string>(page.next_cursor));
  write_string(w, "source", source);
  write_string(w, "note", note);
  w.EndObject();
  return RouteResponse::json(200, json_text(buffer));
}

std::string no_such_issue(const std::string& key) {
  return "no issue " + key.substr(0, 64) + " in the cache (by current or former key)";
}

RouteResponse one_issue(ApiContext& ctx, const ApiRequest& request) {
  const std::string& key = request.path.at("key");
  const auto max_age = duration_param(request, "max_age", kMaxAgeLimitMs);
  const int64_t budget = duration_param(request, "budget", kMaxBudgetMs).value_or(kDefaultBudgetMs);
  // The ticket, its lists, history, local data and age in one read (this route is hot).
  auto found = ctx.documents.find(key);
  const std::string project =
      found ? found->ticket.issue.project_key : configured_project_of_key(ctx.config, key);
  if (!found && !(max_age && !project.empty())) throw NotFound(no_such_issue(key));

  IssueOrigin origin{"cache", 0, true};
  if (found) origin = origin_of(ctx, *found);
  const int64_t now = ctx.clock.now_ms();
  if (max_age) origin.stale = !found || origin.synced_ms == 0 || now - origin.synced_ms > *max_age;
  std::string note;
  if (max_age && origin.stale) {
    if (!configured_project(ctx.config, project)) {
      note =
          "project " + project + " is not kept by this cache, so " + key + " cannot be refreshed";
    } else {
      const RefreshWait wait = refresh_and_wait(
          ctx, {{found ? found->ticket.key : key, found ? found->ticket.id : "", project}}, budget,
          "api issue max_age");
      note = wait.note;
      if (!wait.done_projects.empty()) {
        found = ctx.documents.find(key);
        if (!found) throw NotFound(no_such_issue(key) + "; Jira did not return it either");
        origin = origin_of(ctx, *found);
        origin.source = "jira";
        origin.stale = false;
      }
    }
  }
  if (!found) throw NotFound(no_such_issue(key) + (note.empty() ? "" : "; " + note));

  return RouteResponse::json(200, issue_document_json(ctx, found->ticket, key, origin, note,
                                                      &found->history, &found->local));
}

}  // namespace

std::vector<ApiRoute> issue_routes(ApiContext& ctx) {
  return {
      {"GET", "/api/v1/issues", ApiScope::kRead,
       "Search the cached issues with JQL or a template (keyset paging, source cache|live|auto)",
       answering_errors([&ctx](const ApiRequest& r) { return search_issues(ctx, r); })},
      {"GET", "/api/v1/issues/{key}", ApiScope::kRead,
       "One cached issue with its local data and history; max_age refreshes a stale one",
       answering_errors([&ctx](const ApiRequest& r) { return one_issue(ctx, r); })},
  };
}

}  // namespace jirasync
