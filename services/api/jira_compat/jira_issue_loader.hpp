#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/model/jira_issue.hpp"

namespace jirasync {

class TicketQueries;

// Reads cached issues for one request, each at most once (a parent shared by
// a page of sub-tasks is read once). Deleted tickets are not found, as Jira
// does not find deleted issues.
class JiraIssueLoader {
 public:
  explicit JiraIssueLoader(TicketQueries& tickets) : tickets_(tickets) {}

  // Reads every one of `ids_or_keys` not read yet in one batch (the rows,
  // then each list table once), and with `related` the issues they show as
  // parent, sub-task or link end in one more (their rows only: they show just
  // summary, status, priority and type), so that a page of issues costs the
  // database a fixed number of queries rather than a few per issue.
  void load(const std::vector<std::string>& ids_or_keys, bool related) {
    load_batch(ids_or_keys, related, false);
  }

  // By id, current key or old key (an issue moved since); nullptr when the
  // cache has no live ticket for it. Reads it alone unless load() read it.
  const JiraIssue* find(const std::string& id_or_key);

 private:
  void load_batch(const std::vector<std::string>& ids_or_keys, bool related, bool rows_only);

  TicketQueries& tickets_;
  std::map<std::string, std::shared_ptr<const JiraIssue>> seen_;  // null: not found
};

// A numeric string: an issue id rather than a key.
bool is_issue_id(const std::string& id_or_key);

}  // namespace jirasync
