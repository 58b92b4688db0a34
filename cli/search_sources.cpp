#include "cli/search_sources.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

#include "cli/duration_option.hpp"
#include "cli/output_format.hpp"
#include "cli/terminal_text.hpp"
#include "common/clock/clock.hpp"
#include "common/config/cache_ttl.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/log/secret_redactor.hpp"
#include "common/store/last_sync.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_rate_bucket_store.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/templates/template_catalog.hpp"
#include "common/time/duration_text.hpp"
#include "common/time/jira_time.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {
namespace {

constexpr int kUsageError = 2;

std::string instant(int64_t ms) {
  return ms > 0 ? format_jira_time(ms) : std::string();
}

// The rows with where each came from, in the order given.
void print_sourced(const std::vector<IssueSearchRow>& rows,
                   const std::map<std::string, RowOrigin>& origins, const std::string& format,
                   const std::string& source, const std::string& note) {
  const auto origin = [&](const IssueSearchRow& r) {
    auto it = origins.find(r.id);
    return it != origins.end() ? it->second : RowOrigin{"cache", r.last_synced_ms, true};
  };
  if (format == "json" || format == "jsonl") {
    JsonOut all;
    if (format == "json")
      all.begin_object().text("source", source).text("note", note).key("issues").begin_array();
    for (const auto& r : rows) {
      const RowOrigin o = origin(r);
      JsonOut one;
      JsonOut& j = format == "json" ? all : one;
      j.begin_object()
          .text("key", r.key)
          .text("type", r.issue_type)
          .text("status", r.status)
          .text("updated", instant(r.updated_ms))
          .text("summary", r.summary)
          .text("source", o.source)
          .text("synced", instant(o.synced_ms))
          .flag("stale", o.stale)
          .end_object();
      if (format == "jsonl") std::printf("%s\n", one.str().c_str());
    }
    if (format == "json") std::printf("%s\n", all.end_array().end_object().str().c_str());
  } else if (format == "csv") {
    std::fputs(csv_row({"key", "type", "status", "updated", "source", "synced", "stale", "summary"})
                   .c_str(),
               stdout);
    for (const auto& r : rows) {
      const RowOrigin o = origin(r);
      std::fputs(csv_row({r.key, r.issue_type, r.status, instant(r.updated_ms), o.source,
                          instant(o.synced_ms), o.stale ? "true" : "false", r.summary})
                     .c_str(),
                 stdout);
    }
  } else {
    std::printf("%-14s %-10s %-14s %-6s %-16s %-5s %s\n", "KEY", "TYPE", "STATUS", "SOURCE",
                "SYNCED (UTC)", "STALE", "SUMMARY");
    for (const auto& r : rows) {
      const RowOrigin o = origin(r);
      std::printf("%-14s %-10s %-14s %-6s %-16s %-5s %s\n", printable(r.key).c_str(),
                  printable(r.issue_type).c_str(), printable(r.status).c_str(), o.source.c_str(),
                  instant(o.synced_ms).substr(0, 16).c_str(), o.stale ? "yes" : "",
                  printable(r.summary).c_str());
    }
  }
  std::fprintf(stderr, "%zu issue%s (--source %s)%s%s\n", rows.size(), rows.size() == 1 ? "" : "s",
               source.c_str(), note.empty() ? "" : ": ", printable(note).c_str());
}

std::vector<IssueSearchRow> cache_rows(CliContext& ctx, const JqlQuery& query,
                                       const JqlContext& context, int limit) {
  SqlIssueSearch search(ctx.database());
  std::vector<IssueSearchRow> rows;
  std::string cursor;
  do {
    auto page = search.search(query, context, std::min(1000, limit - static_cast<int>(rows.size())),
                              cursor);
    for (auto& r : page.rows) rows.push_back(std::move(r));
    cursor = page.next_cursor;
  } while (!cursor.empty() && static_cast<int>(rows.size()) < limit);
  return rows;
}

}  // namespace

void add_search_source_options(CLI::App* cmd, SearchArgs& args, CLI::Option* jql) {
  auto* name = cmd->add_option("--template", args.template_name,
                               "run a template instead of JQL (`jirasync templates` lists them)");
  name->excludes(jql);
  cmd->add_option("--param", args.params, "a template parameter: k=v (repeat)")->needs(name);
  cmd->add_option("--source", args.source,
                  "cache (default: never calls Jira), live (ask Jira, write what it returns "
                  "through the pipeline) or auto (the cache, refreshing first what is older "
                  "than cache_ttl)")
      ->check(CLI::IsMember({"cache", "live", "auto"}));
  cmd->add_option("--budget", args.budget,
                  "live/auto: how long refreshing may take before rows are shown stale "
                  "(default 30s)")
      ->check(duration_validator());
}

int resolve_search_source(CliContext& ctx, SearchArgs& args) {
  const Config& config = ctx.config();
  if (!args.template_name.empty()) {
    std::map<std::string, std::string> given;
    for (const std::string& p : args.params) {
      const size_t eq = p.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "jirasync search: --param %s: expected k=v\n", printable(p).c_str());
        return kUsageError;
      }
      given[p.substr(0, eq)] = p.substr(eq + 1);
    }
    try {
      const TemplateCatalog catalog(config.templates);
      SqlRunStore runs(ctx.database());
      args.jql = expand_template(catalog.find(args.template_name), given, {last_sync_ms(runs)});
    } catch (const TemplateError& e) {
      std::fprintf(stderr, "jirasync search: %s\n", printable(e.what()).c_str());
      return kUsageError;
    }
  }
  if (args.jql.empty()) {
    std::fprintf(stderr, "jirasync search: give a JQL query or --template NAME\n");
    return kUsageError;
  }
  if (args.source == "cache") return -1;

  const int64_t budget = parse_duration_ms(args.budget);
  JqlContext context;
  context.account_id = config.jira.account_id;
  context.time_zone = config.jira.account_time_zone;
  // Custom fields by name: the stored field list, read (and the database
  // opened) only for a query that names a field the compiler does not know.
  context.custom_fields = [&ctx] { return stored_custom_fields(ctx.database())(); };
  context.now_ms = SystemClock().now_ms();
  const bool progress = args.format == "table";
  if (args.source == "auto") {
    JqlQuery query;
    try {
      query = parse_jql(args.jql);
      (void)compile_jql(query, Backend::kSqlite, context);
    } catch (const JqlError& e) {
      std::fprintf(stderr, "jirasync search: %s\n", e.what());
      return kUsageError;
    }
    std::vector<RefreshTarget> targets;
    for (const auto& r : cache_rows(ctx, query, context, args.limit))
      targets.push_back({r.key, r.id, r.project});
    const AutoRefresh refreshed = refresh_stale_rows(ctx, targets, budget, progress);
    // Asked again: a refresh may change what the query selects.
    const auto rows = cache_rows(ctx, query, context, args.limit);
    print_sourced(rows, refreshed.by_id, args.format, "auto", refreshed.note);
    return 0;
  }

  // live
  LiveSearch live;
  try {
    live = live_search(ctx, args.jql, args.limit, budget, progress);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "jirasync search: %s\n", printable(e.what()).c_str());
    return kUsageError;
  } catch (const JiraError& e) {
    // Nothing was written: the cache still answers offline.
    std::fprintf(stderr,
                 "jirasync search --source live: Jira did not answer (%s); nothing was written. "
                 "--source cache answers from the cache\n",
                 printable(redact(e.what())).c_str());
    return 1;
  }
  std::vector<IssueSearchRow> rows;
  std::map<std::string, RowOrigin> origins;
  if (!live.found.empty()) {
    // The found ids are Jira's digits, checked before they enter the query text.
    std::string ids;
    for (const auto& t : live.found) {
      if (t.id.empty() ||
          !std::all_of(t.id.begin(), t.id.end(), [](char c) { return c >= '0' && c <= '9'; }))
        continue;
      ids += (ids.empty() ? "" : ", ") + t.id;
    }
    const auto cached = cache_rows(ctx, parse_jql("id IN (" + ids + ")"), context, args.limit);
    std::map<std::string, IssueSearchRow> by_id;
    for (const auto& r : cached) by_id[r.id] = r;
    const bool ok = live.refresh.problem.empty();
    for (const auto& t : live.found) {
      auto it = by_id.find(t.id);
      if (it == by_id.end()) continue;
      rows.push_back(it->second);
      origins[t.id] = RowOrigin{ok ? "jira" : "cache", it->second.last_synced_ms, !ok};
    }
  }
  std::string note = live.refresh.problem;
  if (!live.unconfigured.empty())
    note += (note.empty() ? "" : "; ") + std::to_string(live.unconfigured.size()) +
            " issue(s) of projects this cache does not keep left out";
  print_sourced(rows, origins, args.format, "live", note);
  return live.refresh.problem.empty() ? 0 : 1;
}

AutoRefresh refresh_stale_rows(CliContext& ctx, const std::vector<RefreshTarget>& rows,
                               int64_t budget_ms, bool show_progress) {
  const Config& config = ctx.config();
  SqlTicketFreshness freshness(ctx.database());
  AutoRefresh out;
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  const int64_t now = SystemClock().now_ms();
  std::vector<RefreshTarget> stale;
  for (const auto& [id, age] : freshness.ages(ids)) {
    RowOrigin o;
    o.synced_ms = age.synced_ms;
    o.stale = is_stale(config, age.project, age.synced_ms, now);
    out.by_id[id] = o;
  }
  for (const auto& r : rows) {
    auto it = out.by_id.find(r.id);
    if (it != out.by_id.end() && it->second.stale && configured_project(config, r.project))
      stale.push_back(r);
  }
  if (stale.empty()) return out;
  const RefreshOutcome outcome = refresh_tickets(ctx, stale, budget_ms, show_progress);
  out.note = outcome.problem;
  std::vector<std::string> stale_ids;
  for (const auto& r : stale) stale_ids.push_back(r.id);
  const auto after = freshness.ages(stale_ids);
  const int64_t later = SystemClock().now_ms();
  for (const auto& r : stale) {
    auto a = after.find(r.id);
    if (a == after.end()) continue;
    RowOrigin& o = out.by_id[r.id];
    if (a->second.synced_ms > o.synced_ms) {
      o.source = "jira";
      ++out.refreshed;
    }
    o.synced_ms = a->second.synced_ms;
    o.stale = is_stale(config, r.project, o.synced_ms, later);
  }
  return out;
}

LiveSearch live_search(CliContext& ctx, const std::string& jql, int limit, int64_t budget_ms,
                       bool show_progress) {
  const Config& config = ctx.config();
  HttpJiraClient jira(config.jira);
  const auto errors = jira.validate_jql(jql);
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors) all += (all.empty() ? "" : " ") + e;
    throw std::invalid_argument("Jira refuses the JQL: " + all);
  }
  SystemClock clock;
  SqlRateBucketStore buckets(ctx.database());
  // The fetchers' bucket: a live search spends the same 100 requests a minute.
  SharedRateLimit rate(buckets, clock, "jira", config.jira.rate_per_s, config.jira.rate_burst);
  LiveSearch out;
  SearchRequest request;
  request.jql = jql;
  request.fields = {"id", "key"};
  for (;;) {
    request.max_results = std::min(100, limit - static_cast<int>(out.found.size()));
    if (request.max_results <= 0) break;
    rate.acquire();
    const SearchPage page = jira.search(request);
    ++out.pages;
    for (const IssueText& issue : page.issues) {
      const size_t dash = issue.key.rfind('-');
      const std::string project = dash == std::string::npos ? "" : issue.key.substr(0, dash);
      if (configured_project(config, project)) {
        out.found.push_back({issue.key, issue.id, project});
      } else {
        out.unconfigured.push_back(issue.key);
      }
    }
    if (page.is_last || page.next_page_token.empty()) break;
    request.next_page_token = page.next_page_token;
  }
  out.refresh = refresh_tickets(ctx, out.found, budget_ms, show_progress);
  return out;
}

}  // namespace jirasync
