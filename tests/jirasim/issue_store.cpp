#include "tests/jirasim/issue_store.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "tests/jirasim/issue_diff.hpp"

namespace jirasim {

namespace {

int64_t key_number(const std::string& key) {
  size_t dash = key.rfind('-');
  if (dash == std::string::npos) return 0;
  try {
    return std::stoll(key.substr(dash + 1));
  } catch (const std::exception&) {
    return 0;
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void IssueStore::replace_all(
    std::vector<SimProject> projects,
    const std::function<void(const std::function<void(SimIssue&&)>&)>& produce) {
  std::unique_lock lock(mu_);
  issues_.clear();
  key_to_id_.clear();
  lagging_.clear();
  subtasks_.clear();
  linked_from_.clear();
  next_number_.clear();
  projects_ = std::move(projects);
  for (const auto& p : projects_) next_number_[p.key] = 1;
  first_id_ = 0;
  produce([this](SimIssue&& issue) {
    if (first_id_ == 0) first_id_ = issue.id;
    size_t index = static_cast<size_t>(issue.id - first_id_);
    if (index >= issues_.size()) issues_.resize(index + 1);
    key_to_id_[issue.key] = issue.id;
    for (const auto& old : issue.old_keys) key_to_id_[old] = issue.id;
    auto& next = next_number_[issue.project_key];
    next = std::max(next, key_number(issue.key) + 1);
    issues_[index] = std::make_shared<const SimIssue>(std::move(issue));
    relate(nullptr, issues_[index].get());
  });
  if (first_id_ == 0) first_id_ = 10001;
  ++generation_;
}

IssuePtr IssueStore::get_locked(int64_t id) const {
  if (id < first_id_) return nullptr;
  size_t index = static_cast<size_t>(id - first_id_);
  return index < issues_.size() ? issues_[index] : nullptr;
}

IssuePtr IssueStore::get(int64_t id) const {
  std::shared_lock lock(mu_);
  return get_locked(id);
}

IssuePtr IssueStore::find(std::string_view id_or_key) const {
  std::shared_lock lock(mu_);
  if (all_digits(id_or_key) && id_or_key.size() < 18) {
    return get_locked(std::stoll(std::string(id_or_key)));
  }
  std::string key(id_or_key);
  for (auto& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto it = key_to_id_.find(key);
  return it == key_to_id_.end() ? nullptr : get_locked(it->second);
}

std::vector<SimProject> IssueStore::projects() const {
  std::shared_lock lock(mu_);
  return projects_;
}

std::optional<SimProject> IssueStore::project(std::string_view key) const {
  std::shared_lock lock(mu_);
  for (const auto& p : projects_) {
    if (p.key == key) return p;
  }
  return std::nullopt;
}

size_t IssueStore::size() const {
  std::shared_lock lock(mu_);
  return static_cast<size_t>(std::count_if(issues_.begin(), issues_.end(),
                                           [](const IssuePtr& p) { return p != nullptr; }));
}

std::pair<int64_t, int64_t> IssueStore::project_insight(const std::string& key) const {
  std::shared_lock lock(mu_);
  int64_t count = 0;
  int64_t last = 0;
  for (const auto& issue : issues_) {
    if (issue && issue->project_key == key) {
      ++count;
      last = std::max(last, issue->updated_ms);
    }
  }
  return {count, last};
}

namespace {

void add_id(std::vector<int64_t>& ids, int64_t id) {
  ids.insert(std::lower_bound(ids.begin(), ids.end(), id), id);
}

void remove_id(std::unordered_map<int64_t, std::vector<int64_t>>& index, int64_t key, int64_t id) {
  auto it = index.find(key);
  if (it == index.end()) return;
  auto& ids = it->second;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  if (ids.empty()) index.erase(it);
}

}  // namespace

void IssueStore::relate(const SimIssue* before, const SimIssue* after) {
  if (before != nullptr) {
    if (before->subtask && before->parent_id != 0)
      remove_id(subtasks_, before->parent_id, before->id);
    for (const SimLink& l : before->links) remove_id(linked_from_, l.other_id, before->id);
  }
  if (after != nullptr) {
    if (after->subtask && after->parent_id != 0) add_id(subtasks_[after->parent_id], after->id);
    for (const SimLink& l : after->links) add_id(linked_from_[l.other_id], after->id);
  }
}

std::vector<IssuePtr> IssueStore::current(const std::vector<int64_t>& ids) const {
  std::vector<IssuePtr> out;
  for (int64_t id : ids) {
    if (IssuePtr issue = get_locked(id)) out.push_back(std::move(issue));
  }
  return out;
}

std::vector<IssuePtr> IssueStore::subtasks_of(int64_t parent_id) const {
  std::shared_lock lock(mu_);
  auto it = subtasks_.find(parent_id);
  return it == subtasks_.end() ? std::vector<IssuePtr>{} : current(it->second);
}

std::vector<IssuePtr> IssueStore::linked_from(int64_t id) const {
  std::shared_lock lock(mu_);
  auto it = linked_from_.find(id);
  return it == linked_from_.end() ? std::vector<IssuePtr>{} : current(it->second);
}

void IssueStore::publish(int64_t id, IssuePtr next, int64_t now_ms) {
  size_t index = static_cast<size_t>(id - first_id_);
  if (index >= issues_.size()) issues_.resize(index + 1);
  relate(issues_[index].get(), next.get());
  if (search_lag_ms_ > 0) {
    auto it = lagging_.find(id);
    if (it == lagging_.end() || now_ms - it->second.changed_at_ms >= search_lag_ms_) {
      // The index catches up from the version search saw last.
      lagging_[id] = Lagging{issues_[index], now_ms};
    } else {
      it->second.changed_at_ms = now_ms;
    }
  }
  issues_[index] = std::move(next);
  ++generation_;
}

IssueChange IssueStore::create(SimIssue draft, const std::string& author_id) {
  std::unique_lock lock(mu_);
  auto next = next_number_.find(draft.project_key);
  if (next == next_number_.end()) {
    throw std::invalid_argument("project '" + draft.project_key + "' does not exist");
  }
  for (const auto& p : projects_) {
    if (p.key == draft.project_key) draft.project_id = p.id;
  }
  int64_t now = clock_.now_ms();
  draft.id = first_id_ + static_cast<int64_t>(issues_.size());
  draft.key = draft.project_key + "-" + std::to_string(next->second++);
  draft.version = 1;
  if (draft.created_ms == 0) draft.created_ms = now;
  if (draft.updated_ms == 0) draft.updated_ms = draft.created_ms;
  if (draft.reporter_id.empty()) draft.reporter_id = author_id;
  key_to_id_[draft.key] = draft.id;
  auto after = std::make_shared<const SimIssue>(std::move(draft));
  publish(after->id, after, now);
  return IssueChange{nullptr, after, {}};
}

std::optional<IssueChange> IssueStore::update(int64_t id,
                                              const std::function<void(SimIssue&)>& edit,
                                              const std::string& author_id) {
  std::unique_lock lock(mu_);
  IssuePtr before = get_locked(id);
  if (!before) return std::nullopt;
  SimIssue copy = *before;
  edit(copy);
  copy.id = before->id;
  copy.key = before->key;
  copy.project_key = before->project_key;
  copy.project_id = before->project_id;
  std::vector<SimChange> items = diff_issues(*before, copy);
  // A comment is no changelog item, but it moves `updated` as any edit does.
  bool times_edited =
      copy.updated_ms != before->updated_ms || copy.created_ms != before->created_ms ||
      copy.comment_count != before->comment_count || copy.creator_id != before->creator_id;
  if (items.empty() && !times_edited) return IssueChange{before, before, {}};
  int64_t now = clock_.now_ms();
  if (copy.updated_ms == before->updated_ms) copy.updated_ms = std::max(now, before->updated_ms);
  if (copy.status_category == "done" && copy.resolution_ms == 0)
    copy.resolution_ms = copy.updated_ms;
  copy.version = before->version + 1;
  for (auto& item : items) {
    item.at_ms = copy.updated_ms;
    item.author_id = author_id;
    copy.changelog.push_back(item);
  }
  auto after = std::make_shared<const SimIssue>(std::move(copy));
  publish(id, after, now);
  return IssueChange{before, after, std::move(items)};
}

std::optional<IssueChange> IssueStore::remove(int64_t id) {
  std::unique_lock lock(mu_);
  IssuePtr before = get_locked(id);
  if (!before) return std::nullopt;
  key_to_id_.erase(before->key);
  for (const auto& old : before->old_keys) key_to_id_.erase(old);
  publish(id, nullptr, clock_.now_ms());
  return IssueChange{before, nullptr, {}};
}

std::optional<IssueChange> IssueStore::move(int64_t id, const std::string& project_key,
                                            const std::string& author_id) {
  std::unique_lock lock(mu_);
  IssuePtr before = get_locked(id);
  if (!before) return std::nullopt;
  auto next = next_number_.find(project_key);
  if (next == next_number_.end()) {
    throw std::invalid_argument("project '" + project_key + "' does not exist");
  }
  if (before->project_key == project_key) return IssueChange{before, before, {}};
  SimIssue copy = *before;
  copy.old_keys.push_back(before->key);
  copy.key = project_key + "-" + std::to_string(next->second++);
  copy.project_key = project_key;
  for (const auto& p : projects_) {
    if (p.key == project_key) copy.project_id = p.id;
  }
  int64_t now = clock_.now_ms();
  copy.updated_ms = std::max(now, before->updated_ms);
  copy.version = before->version + 1;
  std::vector<SimChange> items = diff_issues(*before, copy);
  for (auto& item : items) {
    item.at_ms = copy.updated_ms;
    item.author_id = author_id;
    copy.changelog.push_back(item);
  }
  key_to_id_[copy.key] = id;
  auto after = std::make_shared<const SimIssue>(std::move(copy));
  publish(id, after, now);
  return IssueChange{before, after, std::move(items)};
}

std::vector<int64_t> IssueStore::sample_ids(size_t n, SimRandom& r) const {
  std::shared_lock lock(mu_);
  std::vector<int64_t> out;
  if (issues_.empty()) return out;
  size_t attempts = 0;
  while (out.size() < n && attempts < n * 20 + 100) {
    ++attempts;
    size_t index = r.below(issues_.size());
    if (!issues_[index]) continue;
    int64_t id = issues_[index]->id;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

void IssueStore::set_search_lag_ms(int64_t lag_ms) {
  std::unique_lock lock(mu_);
  search_lag_ms_ = std::max<int64_t>(0, lag_ms);
  if (search_lag_ms_ == 0) lagging_.clear();
  ++generation_;
}

int64_t IssueStore::search_lag_ms() const {
  std::shared_lock lock(mu_);
  return search_lag_ms_;
}

uint64_t IssueStore::generation() const {
  std::shared_lock lock(mu_);
  return generation_;
}

IssuePtr IssueStore::searchable_locked(int64_t id, int64_t now_ms) const {
  if (!lagging_.empty()) {
    auto it = lagging_.find(id);
    if (it != lagging_.end() && now_ms - it->second.changed_at_ms < search_lag_ms_) {
      return it->second.visible;
    }
  }
  return get_locked(id);
}

IssuePtr IssueStore::searchable(int64_t id) const {
  std::shared_lock lock(mu_);
  return searchable_locked(id, clock_.now_ms());
}

SearchView IssueStore::searchable_issues(std::vector<IssuePtr>& out) const {
  std::shared_lock lock(mu_);
  int64_t now = clock_.now_ms();
  SearchView view;
  view.generation = generation_;
  for (const auto& [id, lag] : lagging_) {
    int64_t visible_at = lag.changed_at_ms + search_lag_ms_;
    if (visible_at > now) view.valid_until_ms = std::min(view.valid_until_ms, visible_at);
  }
  out.reserve(out.size() + issues_.size());
  if (view.valid_until_ms == INT64_MAX) {
    for (const auto& issue : issues_) {
      if (issue) out.push_back(issue);
    }
    return view;
  }
  for (size_t i = 0; i < issues_.size(); ++i) {
    IssuePtr visible = searchable_locked(first_id_ + static_cast<int64_t>(i), now);
    if (visible) out.push_back(std::move(visible));
  }
  return view;
}

}  // namespace jirasim
