#include "services/api/mcp/mcp_tools.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "common/config/config.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/store/change_feed.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/last_sync.hpp"
#include "common/store/run_store.hpp"
#include "common/store/ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"
#include "common/templates/template_catalog.hpp"
#include "common/time/duration_text.hpp"
#include "common/time/jira_time.hpp"
#include "services/api/api_context.hpp"
#include "services/api/json/api_jql_context.hpp"
#include "services/api/json/change_json.hpp"
#include "services/api/json/issue_document.hpp"
#include "services/api/json/issue_origin.hpp"
#include "services/api/json/project_json.hpp"
#include "services/api/json/run_json.hpp"
#include "services/api/json/template_json.hpp"
#include "services/api/mcp/json_rpc.hpp"
#include "services/api/mcp/mcp_arguments.hpp"
#include "services/api/mcp/mcp_tool_catalogue.hpp"

namespace jirasync {
namespace {

constexpr int64_t kRunPollMs = 100;

std::string finish(rapidjson::StringBuffer& out) {
  return {out.GetString(), out.GetSize()};
}

bool configured(const Config& config, const std::string& project) {
  return std::any_of(config.projects.begin(), config.projects.end(),
                     [&](const ProjectSettings& p) { return p.key == project; });
}

McpToolResult ok(std::string json) {
  return {std::move(json), false, ""};
}

bool finished(const SyncRun& run) {
  return run.status == RunStatus::kSuccess || run.status == RunStatus::kFailed;
}

}  // namespace

McpTools::McpTools(ApiContext& ctx, int64_t refresh_wait_ms)
    : ctx_(ctx), refresh_wait_ms_(refresh_wait_ms) {}

McpToolResult McpTools::call(const std::string& name, const rapidjson::Value* arguments,
                             ApiScope scope) {
  const McpToolSpec* spec = find_mcp_tool(name);
  if (spec == nullptr) {
    throw JsonRpcError(kJsonRpcInvalidParams, "Unknown tool: " + name.substr(0, 64));
  }
  (void)McpArguments(arguments, spec->arguments);  // the schema check, before any work
  if (spec->admin && scope != ApiScope::kAdmin) {
    return {"", true,
            name + " needs an admin key; this key has " +
                (scope == ApiScope::kRead ? "read" : "no") + " scope"};
  }
  try {
    if (name == "search_issues") return ok(search_issues(arguments));
    if (name == "get_issue") return ok(get_issue(arguments));
    if (name == "list_changes") return ok(list_changes(arguments));
    if (name == "list_templates") return ok(list_templates(arguments));
    if (name == "sync_status") return ok(sync_status(arguments));
    return ok(refresh_issue(arguments));
  } catch (const JsonRpcError&) {
    throw;
  } catch (const JqlError& e) {
    return {"", true, e.what()};
  } catch (const McpToolFailure& e) {
    return {"", true, e.what()};
  } catch (const std::invalid_argument& e) {
    // Template parameters, an expired cursor: worded by the code that refused them.
    return {"", true, e.what()};
  } catch (const std::exception& e) {
    return {"", true, name + " failed: " + redact(e.what())};
  }
}

std::string McpTools::search_issues(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("search_issues")->arguments);
  const auto jql = a.text("jql");
  const auto template_name = a.text("template");
  const auto params = a.text_map("params");
  const int limit = static_cast<int>(a.integer("limit", 1, 1000).value_or(50));
  std::string cursor = a.text("cursor").value_or("");
  if (jql.has_value() == template_name.has_value()) {
    throw_bad_argument("jql", "give either jql or template (with params)");
  }
  if (!params.empty() && !template_name) throw_bad_argument("params", "only with template");

  std::string text = jql.value_or("");
  if (template_name) {
    text = expand_template(ctx_.templates.find(*template_name), params, {last_sync_ms(ctx_.runs)});
  }
  const JqlContext context = jql_context_of(ctx_);
  IssueSearchPage page;
  try {
    page = ctx_.search.search(parse_jql(text), context, limit, cursor);
  } catch (const JqlError&) {
    throw;
  } catch (const std::invalid_argument& e) {
    throw McpToolFailure(std::string("cursor: ") + e.what());
  }

  std::vector<std::string> ids;
  for (const auto& r : page.rows) ids.push_back(r.id);
  const auto ages = ctx_.freshness.ages(ids);
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("issues");
  w.StartArray();
  for (const IssueSearchRow& r : page.rows) {
    IssueOrigin origin;
    const auto it = ages.find(r.id);
    origin.synced_ms = it != ages.end() ? it->second.synced_ms : r.last_synced_ms;
    origin.stale = is_stale(ctx_.config, r.project, origin.synced_ms, context.now_ms);
    w.StartObject();
    write_issue_row(w, r, origin, context.now_ms);
    w.EndObject();
  }
  w.EndArray();
  write_optional_string(
      w, "next_cursor",
      page.next_cursor.empty() ? std::nullopt : std::optional<std::string>(page.next_cursor));
  write_string(w, "source", "cache");
  write_string(w, "jql", text);
  w.EndObject();
  return finish(out);
}

std::string McpTools::get_issue(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("get_issue")->arguments);
  const std::string key = a.required_text("key");
  std::optional<int64_t> max_age_ms;
  if (const auto text = a.text("max_age")) {
    try {
      max_age_ms = parse_duration_ms(*text);
    } catch (const std::invalid_argument& e) {
      throw_bad_argument("max_age", e.what());
    }
  }
  // The ticket, its lists, history, local data and age in one read.
  auto found = ctx_.documents.find(key);
  if (!found) throw McpToolFailure("no issue " + key.substr(0, 64) + " in the cache");
  IssueOrigin origin = origin_of(ctx_, *found);
  std::string note;
  if (max_age_ms &&
      (origin.synced_ms == 0 || issue_age_ms(origin, ctx_.clock.now_ms()) > *max_age_ms)) {
    // Older than the caller accepts: one refresh run through the pipeline,
    // waited for within the budget; on failure the cached copy is served, saying so.
    const auto started = ctx_.sync.request(found->ticket.issue.project_key, JobKind::kRefresh,
                                           {found->ticket.key}, "mcp get_issue max_age");
    const int64_t deadline = ctx_.clock.now_ms() + refresh_wait_ms_;
    std::optional<SyncRun> run = ctx_.runs.get_run(started.run_id);
    while (run && !finished(*run) && ctx_.clock.now_ms() < deadline) {
      ctx_.clock.sleep_ms(kRunPollMs);
      run = ctx_.runs.get_run(started.run_id);
    }
    if (run && run->status == RunStatus::kSuccess) {
      if (auto again = ctx_.documents.find(key)) found = std::move(again);
      origin = origin_of(ctx_, *found);
      origin.source = "jira";
    } else {
      note = "refresh run " + started.run_id + " did not finish" +
             (run && !run->error.empty() ? " (" + redact(run->error) + ")" : "") +
             ": serving the cached copy";
    }
  }
  return issue_document_json(ctx_, found->ticket, key, origin, note, &found->history,
                             &found->local);
}

std::string McpTools::list_changes(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("list_changes")->arguments);
  const int64_t now = ctx_.clock.now_ms();
  FeedQuery query;
  try {
    query.since_ms = feed_since_ms(ctx_.changes, now, a.text("since"), a.text("viewer"));
  } catch (const std::invalid_argument& e) {
    throw_bad_argument("since", e.what());
  }
  query.project = a.text("project").value_or("");
  for (const std::string& kind : a.texts("kind")) {
    try {
      query.kinds.insert(parse_change_badge(kind));
    } catch (const std::invalid_argument& e) {
      throw_bad_argument("kind", e.what());
    }
  }
  query.limit = static_cast<int>(a.integer("limit", 1, 10000).value_or(100));

  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("changes");
  w.StartArray();
  for (const FeedEntry& e : ctx_.changes.changes_since(query)) write_feed_entry(w, e);
  w.EndArray();
  write_int64(w, "since_ms", query.since_ms);
  w.EndObject();
  return finish(out);
}

std::string McpTools::list_templates(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("list_templates")->arguments);
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("templates");
  w.StartArray();
  for (const QueryTemplate& t : ctx_.templates.all()) write_query_template(w, t);
  w.EndArray();
  w.EndObject();
  return finish(out);
}

std::string McpTools::sync_status(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("sync_status")->arguments);
  const std::string only = a.text("project").value_or("");
  const int recent = static_cast<int>(a.integer("runs", 0, 200).value_or(10));
  if (!only.empty() && !configured(ctx_.config, only)) {
    throw McpToolFailure("project " + only.substr(0, 64) + " is not configured");
  }
  const int64_t now = ctx_.clock.now_ms();
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  w.Key("projects");
  w.StartArray();
  for (const ProjectSettings& p : ctx_.config.projects) {
    if (!only.empty() && p.key != only) continue;
    const auto runs = ctx_.runs.list_runs(p.key, 50);
    w.StartObject();
    write_project_status_members(w, p, ctx_.tickets.count(p.key), runs, ctx_.runs.cursor_ms(p.key),
                                 now);
    w.Key("active_run");
    if (const auto active = ctx_.runs.active_run(p.key)) {
      write_api_run(w, *active);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("runs");
  w.StartArray();
  if (recent > 0) {
    for (const SyncRun& r : ctx_.runs.list_runs(only, recent)) write_api_run(w, r);
  }
  w.EndArray();
  w.EndObject();
  return finish(out);
}

std::string McpTools::refresh_issue(const rapidjson::Value* arguments) {
  const McpArguments a(arguments, find_mcp_tool("refresh_issue")->arguments);
  std::string key = a.required_text("key");
  std::string project;
  if (const auto ticket = ctx_.tickets.find_by_key(key)) {
    key = ticket->key;  // an old key refreshes the issue it now names
    project = ticket->issue.project_key;
  } else {
    project = key.substr(0, key.find('-'));
    if (key.find('-') == std::string::npos || !configured(ctx_.config, project)) {
      throw McpToolFailure(key.substr(0, 64) + " is not cached and its project is not configured");
    }
  }
  const auto started = ctx_.sync.request(project, JobKind::kRefresh, {key}, "mcp refresh_issue");
  rapidjson::StringBuffer out;
  JsonWriter w(out);
  w.StartObject();
  write_started_runs(w, {started});
  w.Key("run");
  if (const auto run = ctx_.runs.get_run(started.run_id)) {
    write_api_run(w, *run);
  } else {
    w.Null();
  }
  w.EndObject();
  return finish(out);
}

}  // namespace jirasync
