#include "services/api/jira_compat/jira_issue_loader.hpp"

#include <algorithm>

#include "common/store/ticket_queries.hpp"

namespace jirasync {

bool is_issue_id(const std::string& id_or_key) {
  return !id_or_key.empty() && id_or_key.size() <= 19 &&
         std::all_of(id_or_key.begin(), id_or_key.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

void JiraIssueLoader::load_batch(const std::vector<std::string>& ids_or_keys, bool related,
                                 bool rows_only) {
  std::vector<std::string> ids;
  std::vector<std::string> keys;
  for (const auto& ref : ids_or_keys) {
    if (seen_.count(ref)) continue;
    (is_issue_id(ref) ? ids : keys).push_back(ref);
  }
  if (ids.empty() && keys.empty()) return;
  const auto key_ids =
      keys.empty() ? std::map<std::string, std::string>{} : tickets_.ids_of_keys(keys);
  std::vector<std::string> wanted = ids;
  for (const auto& [key, id] : key_ids) wanted.push_back(id);
  std::vector<std::string> others;
  for (auto& [id, ticket] :
       rows_only ? tickets_.find_rows_by_ids(wanted) : tickets_.find_by_ids(wanted)) {
    if (ticket.deleted) continue;
    auto issue = std::make_shared<const JiraIssue>(std::move(ticket.issue));
    if (related) {
      if (issue->parent_id) others.push_back(*issue->parent_id);
      for (const auto& s : issue->subtasks) others.push_back(s.id);
      for (const auto& l : issue->links) others.push_back(l.other_id);
    }
    seen_[issue->id] = issue;
    seen_[issue->key] = issue;
  }
  for (const auto& id : ids) seen_.try_emplace(id, nullptr);
  for (const auto& key : keys) {
    const auto id = key_ids.find(key);
    const auto issue = id == key_ids.end() ? seen_.end() : seen_.find(id->second);
    seen_[key] = issue == seen_.end() ? nullptr : issue->second;
  }
  if (!others.empty()) load_batch(others, false, true);
}

const JiraIssue* JiraIssueLoader::find(const std::string& id_or_key) {
  auto it = seen_.find(id_or_key);
  if (it != seen_.end()) return it->second.get();
  std::string key = id_or_key;
  if (is_issue_id(id_or_key)) {
    const auto keys = tickets_.current_keys({id_or_key});
    auto k = keys.find(id_or_key);
    key = k == keys.end() ? std::string() : k->second;
  }
  std::shared_ptr<const JiraIssue> found;
  if (!key.empty()) {
    auto ticket = tickets_.find_by_key(key);
    if (ticket && !ticket->deleted) {
      found = std::make_shared<const JiraIssue>(std::move(ticket->issue));
    }
  }
  if (found) {
    seen_[found->id] = found;
    seen_[found->key] = found;
  }
  seen_[id_or_key] = found;
  return found.get();
}

}  // namespace jirasync
