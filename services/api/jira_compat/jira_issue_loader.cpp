#include "services/api/jira_compat/jira_issue_loader.hpp"

#include <algorithm>

#include "common/store/ticket_queries.hpp"

namespace jirasync {

bool is_issue_id(const std::string& id_or_key) {
  return !id_or_key.empty() && id_or_key.size() <= 19 &&
         std::all_of(id_or_key.begin(), id_or_key.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
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
