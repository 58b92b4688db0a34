#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock/clock.hpp"
#include "tests/jirasim/sim_issue.hpp"
#include "tests/jirasim/sim_project.hpp"
#include "tests/jirasim/sim_random.hpp"

namespace jirasim {

// Issues are immutable once published: an edit publishes a new version, so a
// reader (a cached search, a page being rendered) keeps a consistent one.
using IssuePtr = std::shared_ptr<const SimIssue>;

struct IssueChange {
  IssuePtr before;  // null when created
  IssuePtr after;   // null when deleted
  std::vector<SimChange> items;
};

// What a scan of the search index saw: the index generation, and until when
// that view stays true (a lagging version becomes visible at that time).
struct SearchView {
  uint64_t generation = 0;
  int64_t valid_until_ms = INT64_MAX;
};

// All issues of the site, by id, with the key index (old keys of moved issues
// keep resolving) and the search index lag: for `search_lag_ms` after a change
// search still sees the previous version (or nothing, for a new issue) while
// GET issue sees the new one, as Jira's eventually consistent index does.
class IssueStore {
 public:
  explicit IssueStore(const jirasync::Clock& clock) : clock_(clock) {}

  // Replaces everything; `produce` feeds issues in id order.
  void replace_all(std::vector<SimProject> projects,
                   const std::function<void(const std::function<void(SimIssue&&)>&)>& produce);

  IssuePtr get(int64_t id) const;
  // By id ("10001") or key, current or old ("WRKA-7"); null when unknown or deleted.
  IssuePtr find(std::string_view id_or_key) const;
  // Current sub-tasks of `parent_id` (issues of a sub-task type naming it as
  // parent), in id order: the parent's fields.subtasks.
  std::vector<IssuePtr> subtasks_of(int64_t parent_id) const;
  // Current issues holding a link to `id` (it shows each the other way round).
  std::vector<IssuePtr> linked_from(int64_t id) const;
  std::vector<SimProject> projects() const;
  std::optional<SimProject> project(std::string_view key) const;
  size_t size() const;
  // Issue count and latest `updated` of a project (project/search `insight`).
  std::pair<int64_t, int64_t> project_insight(const std::string& key) const;

  // `draft` names its project_key; id, key, version and times are assigned
  // (created/updated default to now unless set). Throws std::invalid_argument.
  IssueChange create(SimIssue draft, const std::string& author_id);
  // Applies `edit` to a copy; a real change bumps version and `updated` (to now,
  // unless `edit` set updated_ms itself) and appends to the changelog.
  std::optional<IssueChange> update(int64_t id, const std::function<void(SimIssue&)>& edit,
                                    const std::string& author_id);
  std::optional<IssueChange> remove(int64_t id);
  // New key in the target project, same id; the old key keeps resolving.
  std::optional<IssueChange> move(int64_t id, const std::string& project_key,
                                  const std::string& author_id);
  std::vector<int64_t> sample_ids(size_t n, SimRandom& r) const;

  void set_search_lag_ms(int64_t lag_ms);
  int64_t search_lag_ms() const;
  // Every issue search sees now. Copied out so callers evaluate JQL without
  // holding the store lock (the JQL engine calls back into the store).
  SearchView searchable_issues(std::vector<IssuePtr>& out) const;
  // The version search sees now (null if invisible to search).
  IssuePtr searchable(int64_t id) const;
  uint64_t generation() const;

 private:
  struct Lagging {
    IssuePtr visible;  // what search shows until changed_at + lag
    int64_t changed_at_ms = 0;
  };

  void publish(int64_t id, IssuePtr next, int64_t now_ms);  // caller holds the write lock
  // Keeps subtasks_ and linked_from_ in step when `before` becomes `after`.
  void relate(const SimIssue* before, const SimIssue* after);
  std::vector<IssuePtr> current(const std::vector<int64_t>& ids) const;
  IssuePtr get_locked(int64_t id) const;
  IssuePtr searchable_locked(int64_t id, int64_t now_ms) const;

  const jirasync::Clock& clock_;
  mutable std::shared_mutex mu_;
  int64_t first_id_ = 0;
  std::vector<IssuePtr> issues_;  // index = id - first_id_
  std::unordered_map<std::string, int64_t> key_to_id_;
  std::vector<SimProject> projects_;
  std::map<std::string, int64_t, std::less<>> next_number_;
  std::unordered_map<int64_t, Lagging> lagging_;
  std::unordered_map<int64_t, std::vector<int64_t>> subtasks_;     // parent id -> sub-task ids
  std::unordered_map<int64_t, std::vector<int64_t>> linked_from_;  // issue id -> linking ids
  int64_t search_lag_ms_ = 0;
  uint64_t generation_ = 1;
};

}  // namespace jirasim
