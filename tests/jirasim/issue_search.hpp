#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock/clock.hpp"
#include "tests/jirasim/issue_renderer.hpp"
#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/people.hpp"

namespace jirasim {

// The issues one user's JQL matches, in ORDER BY order, as search saw them.
struct MatchList {
  uint64_t generation = 0;
  int64_t valid_until_ms = 0;
  std::vector<jql::OrderKey> order;
  std::vector<IssuePtr> sorted;

  // Index of the first issue after `last` in the ORDER BY sequence (Jira-like
  // keyset paging: `last` may have changed or vanished since).
  size_t start_after(const SimIssue& last) const;
};

// What one search returns: the issues of `list` in [first, end). An anchored
// query (`... AND updated >= T ORDER BY updated ASC, ...`) is the suffix of the
// same query without its anchor, so every page of a sync shares one list; a
// keyset on key (`... AND key > "P-7" ORDER BY key ASC`, the sweep's pages) is
// the range of P's issues after number 7 in it.
struct SearchResult {
  std::shared_ptr<const MatchList> list;
  size_t first = 0;
  size_t end = SIZE_MAX;  // one past the last, SIZE_MAX = the list's end

  size_t size() const { return std::min(end, list->sorted.size()) - first; }
  const SimIssue& at(size_t i) const { return *list->sorted[first + i]; }
  // Position (from 0, as size()) of the first issue after `last` in ORDER BY order.
  size_t start_after(const SimIssue& last) const;
};

// Runs JQL over the search view of the store and caches the sorted result per
// (user, zone, JQL) until the store changes, a lagging version surfaces, or a
// minute passes (relative dates move), so page N is a binary search plus
// rendering instead of a scan of every issue.
class IssueSearch {
 public:
  IssueSearch(const IssueStore& store, const People& people, const IssueRenderer& renderer,
              const jirasync::Clock& clock)
      : store_(store), people_(people), renderer_(renderer), clock_(clock) {}

  // Throws jql::JqlError for invalid JQL.
  SearchResult run(const std::string& jql, const SimUser& user, const std::string& zone);
  void clear();

  static bool can_browse(const SimUser& user, const std::string& project_key);

 private:
  struct Entry {
    std::shared_ptr<const MatchList> list;
    int64_t built_at_ms = 0;
    uint64_t last_used = 0;
  };

  std::shared_ptr<const MatchList> build(const jql::Query& query, const SimUser& user,
                                         const std::string& zone);
  // The cached list of `query` under `key`, built when missing or stale.
  std::shared_ptr<const MatchList> cached(const std::string& key, const jql::Query& query,
                                          const SimUser& user, const std::string& zone);
  void evict_locked();

  const IssueStore& store_;
  const People& people_;
  const IssueRenderer& renderer_;
  const jirasync::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;
  uint64_t use_counter_ = 0;
};

}  // namespace jirasim
