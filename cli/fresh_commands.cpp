#include "cli/fresh_commands.hpp"

#include <cstdio>

#include "cli/refresh_runner.hpp"
#include "cli/terminal_text.hpp"
#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "common/jql/parser.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"
#include "common/time/duration_text.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

constexpr int64_t kShowBudgetMs = 60000;

std::string when(int64_t ms) {
  return ms > 0 ? format_jira_time(ms).substr(0, 19) : "-";
}

}  // namespace

int show_fresh_command(CliContext& ctx, const std::string& key, OutputFormat format,
                       std::optional<int64_t> max_age_ms) {
  const Config& config = ctx.config();
  TicketQueries& tickets = ctx.ticket_queries();
  SqlTicketFreshness freshness(ctx.database());
  const int64_t now = SystemClock().now_ms();
  ShowFreshness f;
  auto found = tickets.find_by_key(key);
  std::optional<TicketAge> age;
  if (found) {
    auto ages = freshness.ages({found->id});
    if (auto it = ages.find(found->id); it != ages.end()) age = it->second;
  }
  const std::string project =
      age ? age->project
          : (found ? found->issue.project_key : configured_project_of_key(config, key));
  f.max_age_ms = max_age_ms.value_or(cache_ttl_of(config, project));
  f.synced_ms = age ? age->synced_ms : 0;
  f.stale = !age || now - f.synced_ms > f.max_age_ms;
  if (max_age_ms && f.stale && !project.empty()) {
    const auto outcome =
        refresh_tickets(ctx, {{found ? found->key : key, found ? found->id : "", project}},
                        kShowBudgetMs, format == OutputFormat::kTable);
    if (outcome.problem.empty()) {
      f.source = "jira";
      if (!found) found = tickets.find_by_key(key);
      if (found) {
        auto ages = freshness.ages({found->id});
        if (auto it = ages.find(found->id); it != ages.end()) f.synced_ms = it->second.synced_ms;
      }
      f.stale = false;
    } else {
      f.note = outcome.problem;
    }
  } else if (max_age_ms && f.stale) {
    f.note = "project of " + key + " is not configured, so it cannot be refreshed";
  }
  if (!found) {
    std::fprintf(stderr, "no ticket %s in the cache (by current or former key)%s\n",
                 printable(key).c_str(), f.note.empty() ? "" : ("; " + printable(f.note)).c_str());
    return 1;
  }
  return show_command(ctx, key, format, f);
}

int refresh_command(CliContext& ctx, const RefreshRequest& request) {
  const Config& config = ctx.config();
  TicketQueries& tickets = ctx.ticket_queries();
  std::vector<RefreshTarget> targets;
  std::vector<std::string> unknown;
  for (const std::string& key : request.keys) {
    if (auto t = tickets.find_by_key(key)) {
      targets.push_back({t->key, t->id, t->issue.project_key});
    } else if (const std::string project = configured_project_of_key(config, key);
               !project.empty()) {
      targets.push_back({key, "", project});  // not cached yet: the refresh fetches it
    } else {
      unknown.push_back(key);
    }
  }
  if (!request.jql.empty()) {
    // The cached tickets the query selects (currentUser() needs Jira: asked below).
    const JqlQuery query = parse_jql(request.jql);
    JqlContext context;
    try {
      const JiraAccount me = probe_jira(config);
      context.account_id = me.account_id;
      if (!me.time_zone.empty()) context.time_zone = me.time_zone;
    } catch (const std::exception&) {
      // Reported by the refresh itself below.
    }
    context.now_ms = SystemClock().now_ms();
    SqlIssueSearch search(ctx.database());
    std::string after;
    do {
      const auto page = search.search(query, context, 1000, after);
      for (const auto& row : page.rows) targets.push_back({row.key, row.id, row.project});
      after = page.next_cursor;
    } while (!after.empty());
  }
  if (!unknown.empty()) {
    for (const auto& k : unknown)
      std::fprintf(stderr, "%s: not in the cache and its project is not configured\n",
                   printable(k).c_str());
    if (targets.empty()) return 1;
  }
  if (targets.empty()) {
    std::printf("nothing to refresh: the query selects no cached ticket\n");
    return 0;
  }
  SqlTicketFreshness freshness(ctx.database());
  const auto outcome = refresh_tickets(ctx, targets, request.budget_ms, true);
  std::vector<std::string> ids;
  for (const auto& t : targets)
    if (!t.id.empty()) ids.push_back(t.id);
  const auto ages = freshness.ages(ids);
  std::map<std::string, const SyncRun*> run_of;
  for (const auto& r : outcome.runs) run_of[r.project] = &r;
  int failed = unknown.empty() ? 0 : 1;
  JsonOut all;
  if (request.format == OutputFormat::kJson) all.begin_array();
  if (request.format == OutputFormat::kTable)
    std::printf("%-14s %-10s %-19s %s\n", "KEY", "RESULT", "SYNCED (UTC)", "NOTE");
  if (request.format == OutputFormat::kCsv)
    std::fputs(csv_row({"key", "result", "synced", "note"}).c_str(), stdout);
  for (const RefreshTarget& t : targets) {
    auto now_cached = tickets.find_by_key(t.key);
    const auto run = run_of.find(t.project);
    const bool ok = run != run_of.end() && run->second->status == RunStatus::kSuccess;
    std::string result = ok ? "refreshed" : "stale";
    std::string note = ok ? "" : outcome.problem;
    if (ok && !now_cached) {
      result = "missing";
      note = "Jira does not return it";
    } else if (ok && now_cached->deleted) {
      result = "deleted";
    }
    int64_t synced = 0;
    if (now_cached) {
      auto a = ages.find(now_cached->id);
      if (a != ages.end()) synced = a->second.synced_ms;
      if (t.id.empty()) synced = freshness.ages({now_cached->id})[now_cached->id].synced_ms;
    }
    if (!ok) failed = 1;
    if (request.format == OutputFormat::kTable) {
      std::printf("%-14s %-10s %-19s %s\n", printable(t.key).c_str(), result.c_str(),
                  when(synced).c_str(), printable(note).c_str());
    } else if (request.format == OutputFormat::kCsv) {
      std::fputs(csv_row({t.key, result, synced ? format_jira_time(synced) : "", note}).c_str(),
                 stdout);
    } else {
      JsonOut one;
      JsonOut& j = request.format == OutputFormat::kJson ? all : one;
      j.begin_object().text("key", t.key).text("result", result);
      j.text("synced", synced ? format_jira_time(synced) : "").text("note", note).end_object();
      if (request.format == OutputFormat::kJsonl) std::printf("%s\n", one.str().c_str());
    }
  }
  if (request.format == OutputFormat::kJson) std::printf("%s\n", all.end_array().str().c_str());
  if (!outcome.problem.empty() && request.format == OutputFormat::kTable)
    std::fprintf(stderr, "not refreshed: %s\n", printable(outcome.problem).c_str());
  return failed;
}

}  // namespace jirasync
