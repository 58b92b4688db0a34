#include "tests/jirasim/issue_search.hpp"

#include <algorithm>

namespace jirasim {

namespace {

constexpr int64_t kCacheTtlMs = 60'000;
constexpr size_t kMaxCachedIssues = 4'000'000;  // ~64 MB of pointers
constexpr size_t kMaxEntries = 64;

}  // namespace

size_t MatchList::start_after(const SimIssue& last) const {
  auto it = std::upper_bound(sorted.begin(), sorted.end(), last,
                             [this](const SimIssue& pivot, const IssuePtr& e) {
                               return jql::order_less(order, pivot, *e);
                             });
  return static_cast<size_t>(it - sorted.begin());
}

bool IssueSearch::can_browse(const SimUser& user, const std::string& project_key) {
  if (user.browse_projects.empty()) return true;
  return std::find(user.browse_projects.begin(), user.browse_projects.end(), project_key) !=
         user.browse_projects.end();
}

std::shared_ptr<const MatchList> IssueSearch::build(const jql::Query& query, const SimUser& user,
                                                    const std::string& zone) {
  jql::EvalContext ctx;
  ctx.now_ms = clock_.now_ms();
  ctx.account_time_zone = zone;
  ctx.current_account_id = user.account_id;
  ctx.description_text = [this](const SimIssue& issue) {
    return renderer_.description_text(issue);
  };
  ctx.resolve_user = [this](const std::string& who) { return people_.resolve(who); };
  ctx.resolve_issue_key = [this](const std::string& key) -> int64_t {
    IssuePtr issue = store_.find(key);
    return issue ? issue->id : 0;
  };

  auto list = std::make_shared<MatchList>();
  list->order = query.order_by();
  std::vector<IssuePtr> candidates;
  SearchView view = store_.searchable_issues(candidates);
  for (auto& issue : candidates) {
    if (can_browse(user, issue->project_key) && query.matches(*issue, ctx)) {
      list->sorted.push_back(std::move(issue));
    }
  }
  list->generation = view.generation;
  list->valid_until_ms = view.valid_until_ms;
  const auto& order = list->order;
  std::sort(
      list->sorted.begin(), list->sorted.end(),
      [&order](const IssuePtr& a, const IssuePtr& b) { return jql::order_less(order, *a, *b); });
  return list;
}

std::shared_ptr<const MatchList> IssueSearch::run(const std::string& jql, const SimUser& user,
                                                  const std::string& zone) {
  std::unique_ptr<jql::Query> query = jql::parse(jql);  // throws before touching the cache
  std::string key = user.account_id + '\x1f' + zone + '\x1f' + jql;
  int64_t now = clock_.now_ms();
  uint64_t generation = store_.generation();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.list->generation == generation &&
        now < it->second.list->valid_until_ms && now - it->second.built_at_ms < kCacheTtlMs) {
      it->second.last_used = ++use_counter_;
      return it->second.list;
    }
  }
  auto list = build(*query, user, zone);
  std::lock_guard lock(mu_);
  cache_[key] = Entry{list, now, ++use_counter_};
  evict_locked();
  return list;
}

void IssueSearch::evict_locked() {
  auto total = [this] {
    size_t n = 0;
    for (const auto& [k, e] : cache_) n += e.list->sorted.size();
    return n;
  };
  while (cache_.size() > 1 && (cache_.size() > kMaxEntries || total() > kMaxCachedIssues)) {
    auto oldest = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    cache_.erase(oldest);
  }
}

void IssueSearch::clear() {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace jirasim
