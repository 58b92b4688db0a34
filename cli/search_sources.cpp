#include "cli/search_sources.hpp"

#include "common/clock/clock.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/store/sql_rate_bucket_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {
namespace {

constexpr int64_t kDefaultTtlMs = 3600000;

int64_t ttl_of(const Config& config, const std::string& project) {
  for (const auto& p : config.projects)
    if (p.key == project) return p.cache_ttl_ms;
  return kDefaultTtlMs;
}

bool configured(const Config& config, const std::string& project) {
  for (const auto& p : config.projects)
    if (p.key == project) return true;
  return false;
}

}  // namespace

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
    o.stale = now - age.synced_ms > ttl_of(config, age.project);
    out.by_id[id] = o;
  }
  for (const auto& r : rows) {
    auto it = out.by_id.find(r.id);
    if (it != out.by_id.end() && it->second.stale && configured(config, r.project))
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
    o.stale = later - o.synced_ms > ttl_of(config, r.project);
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
      if (configured(config, project)) {
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
