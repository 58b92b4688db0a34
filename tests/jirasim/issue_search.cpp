#include "tests/jirasim/issue_search.hpp"

#include <algorithm>
#include <optional>

#include "tests/jirasim/field_list.hpp"
#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/compiled_query.hpp"
#include "tests/jirasim/jql/condition.hpp"
#include "tests/jirasim/jql/order_by.hpp"
#include "tests/jirasim/jql/parser.hpp"
#include "tests/jirasim/jql/where_compiler.hpp"

namespace jirasim {

namespace {

constexpr int64_t kCacheTtlMs = 60'000;
constexpr size_t kMaxCachedIssues = 4'000'000;  // ~64 MB of pointers
constexpr size_t kMaxEntries = 64;

bool is_epoch_ms(const jql::Operand& operand) {
  const std::string& v = operand.value;
  return operand.kind == jql::Operand::Kind::Value && !v.empty() && v.size() <= 18 &&
         v.find_first_not_of("0123456789") == std::string::npos;
}

bool is_anchor(const jql::Clause& c) {
  return c.kind == jql::Clause::Kind::Terminal &&
         (jql::equals_lower(c.field, "updated") || jql::equals_lower(c.field, "updateddate")) &&
         (c.op == jql::ClauseOperator::GreaterOrEqual || c.op == jql::ClauseOperator::Greater) &&
         is_epoch_ms(c.operand);
}

// Takes `updated >= <epoch ms>` (or `>`) out of a WHERE that is it or an AND
// holding it, and returns the first `updated` it lets through. The rest of the
// query then matches a superset, of which the anchor keeps a suffix when the
// order starts with `updated` ascending.
std::optional<int64_t> take_anchor(jql::QuerySyntax& syntax) {
  if (!syntax.where) return std::nullopt;
  jql::Clause& where = *syntax.where;
  auto threshold = [](const jql::Clause& c) {
    const int64_t t = std::stoll(c.operand.value);
    // An empty `updated` (0) never matches an ordering clause.
    return std::max<int64_t>(1, c.op == jql::ClauseOperator::Greater ? t + 1 : t);
  };
  if (is_anchor(where)) {
    const int64_t t = threshold(where);
    syntax.where.reset();
    return t;
  }
  if (where.kind != jql::Clause::Kind::And) return std::nullopt;
  auto it = std::find_if(where.children.begin(), where.children.end(), is_anchor);
  if (it == where.children.end()) return std::nullopt;
  const int64_t t = threshold(*it);
  where.children.erase(it);
  if (where.children.size() == 1) {
    jql::Clause only = std::move(where.children.front());
    where = std::move(only);
  }
  return t;
}

// `key > "P-7"` (or `>=`): only issues of P with a greater number match, so
// over a list in key order the matches are one range. Taken out of a WHERE
// that is it or an AND holding it, like an `updated` anchor.
struct KeyAnchor {
  std::string project;
  int64_t first_number = 0;  // the least number that matches
};

std::optional<KeyAnchor> take_key_anchor(jql::QuerySyntax& syntax) {
  if (!syntax.where) return std::nullopt;
  auto anchor_of = [](const jql::Clause& c) -> std::optional<KeyAnchor> {
    if (c.kind != jql::Clause::Kind::Terminal || c.operand.kind != jql::Operand::Kind::Value)
      return std::nullopt;
    if (!jql::equals_lower(c.field, "key") && !jql::equals_lower(c.field, "issuekey"))
      return std::nullopt;
    if (c.op != jql::ClauseOperator::Greater && c.op != jql::ClauseOperator::GreaterOrEqual)
      return std::nullopt;
    std::string_view project;
    int64_t number = 0;
    if (!jql::split_issue_key(c.operand.value, project, number)) return std::nullopt;
    return KeyAnchor{std::string(project),
                     c.op == jql::ClauseOperator::Greater ? number + 1 : number};
  };
  jql::Clause& where = *syntax.where;
  if (auto a = anchor_of(where)) {
    syntax.where.reset();
    return a;
  }
  if (where.kind != jql::Clause::Kind::And) return std::nullopt;
  for (auto it = where.children.begin(); it != where.children.end(); ++it) {
    if (auto a = anchor_of(*it)) {
      where.children.erase(it);
      if (where.children.size() == 1) {
        jql::Clause only = std::move(where.children.front());
        where = std::move(only);
      }
      return a;
    }
  }
  return std::nullopt;
}

// Case-insensitive project order, as ORDER BY key compares projects.
int compare_project(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(jql::ascii_lower(a[i]));
    const auto cb = static_cast<unsigned char>(jql::ascii_lower(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace

size_t SearchResult::start_after(const SimIssue& last) const {
  const auto& sorted = list->sorted;
  auto begin = sorted.begin() + static_cast<std::ptrdiff_t>(first);
  auto stop = begin + static_cast<std::ptrdiff_t>(size());
  auto it = std::upper_bound(begin, stop, last, [this](const SimIssue& pivot, const IssuePtr& e) {
    return jql::order_less(list->order, pivot, *e);
  });
  return static_cast<size_t>(it - begin);
}

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

SearchResult IssueSearch::run(const std::string& jql, const SimUser& user,
                              const std::string& zone) {
  // The whole query is checked first, so an anchored one fails as any other.
  std::unique_ptr<jql::Query> query = jql::parse(jql, custom_field_names());
  const std::string prefix = user.account_id + '\x1f' + zone + '\x1f';
  const auto& order = query->order_by();
  if (!order.empty() && order.front().field == "updated" && order.front().ascending) {
    jql::QuerySyntax syntax = jql::parse_syntax(jql);
    if (std::optional<int64_t> from = take_anchor(syntax)) {
      jql::CompiledWhere where;
      if (syntax.where) where = jql::compile_where(*syntax.where, custom_field_names());
      std::vector<jql::OrderKey> base_order =
          jql::compile_order_by(syntax.order_by, custom_field_names());
      jql::CompiledQuery base(std::move(syntax), std::move(where), std::move(base_order));
      // Keyed by structure, not text: every anchor of one sync shares the list.
      auto list = cached(prefix + "anchored\x1f" + base.structure_json(), base, user, zone);
      auto it = std::lower_bound(list->sorted.begin(), list->sorted.end(), *from,
                                 [](const IssuePtr& e, int64_t t) { return e->updated_ms < t; });
      return SearchResult{list, static_cast<size_t>(it - list->sorted.begin())};
    }
  }
  if (!order.empty() && order.front().field == "key" && order.front().ascending) {
    jql::QuerySyntax syntax = jql::parse_syntax(jql);
    if (std::optional<KeyAnchor> from = take_key_anchor(syntax)) {
      jql::CompiledWhere where;
      if (syntax.where) where = jql::compile_where(*syntax.where, custom_field_names());
      std::vector<jql::OrderKey> base_order =
          jql::compile_order_by(syntax.order_by, custom_field_names());
      jql::CompiledQuery base(std::move(syntax), std::move(where), std::move(base_order));
      auto list = cached(prefix + "keyset\x1f" + base.structure_json(), base, user, zone);
      const auto& sorted = list->sorted;
      // Every key must split for the list to be in (project, number) order.
      std::string_view project;
      int64_t number = 0;
      const bool plain_keys = std::all_of(sorted.begin(), sorted.end(), [&](const IssuePtr& e) {
        return jql::split_issue_key(e->key, project, number);
      });
      if (plain_keys) {
        auto before = [&](const IssuePtr& e, int64_t n) {  // sorts before (P, n)
          jql::split_issue_key(e->key, project, number);
          const int c = compare_project(project, from->project);
          return c < 0 || (c == 0 && number < n);
        };
        auto lo = std::lower_bound(sorted.begin(), sorted.end(), from->first_number, before);
        auto hi = std::lower_bound(lo, sorted.end(), INT64_MAX, before);
        return SearchResult{list, static_cast<size_t>(lo - sorted.begin()),
                            static_cast<size_t>(hi - sorted.begin())};
      }
    }
  }
  return SearchResult{cached(prefix + jql, *query, user, zone), 0};
}

std::shared_ptr<const MatchList> IssueSearch::cached(const std::string& key,
                                                     const jql::Query& query, const SimUser& user,
                                                     const std::string& zone) {
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
  auto list = build(query, user, zone);
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
