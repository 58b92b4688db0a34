#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/model/jira_issue.hpp"

namespace soci {
class session;
}

namespace jirasync {

// The lists of an issue kept beside its `tickets` row (migration 5):
// ticket_comments, ticket_links, ticket_subtasks and ticket_attachments, all
// keyed by the ticket id (stable across moves). They are written only with a
// new version of the issue, and then replaced whole, so what Jira dropped
// (a deleted comment, a removed link) is gone from the cache too.

// Fills comments, links, subtasks and attachments of the issues, by id; ids
// without rows keep empty lists. Comments in creation order, the rest in
// Jira's order. The other end of a link, and a sub-task, shows under the key
// the cache has for it now, and not at all once the cache has it deleted
// (Jira does not touch the linking issue when that happens).
void load_ticket_children(soci::session& session, const std::map<std::string, JiraIssue*>& issues);

// Deletes every list row of the issues' ids and inserts their current lists.
// Runs inside the caller's transaction.
void replace_ticket_children(soci::session& session, const std::vector<const JiraIssue*>& issues);

// For issues whose lists the cache already holds (the same content hash):
// inserts a missing list row and updates one that differs, leaving identical
// rows untouched (no new row version); deletes nothing. What a rebuild uses
// to fill a column a migration added without rewriting every list row.
void refresh_ticket_children(soci::session& session, const std::vector<const JiraIssue*>& issues);

}  // namespace jirasync
