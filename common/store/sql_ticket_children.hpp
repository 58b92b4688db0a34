#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/store/ticket_queries.hpp"

namespace soci {
class session;
}

namespace jirasync {

class SqlRow;

// More UNION ALL branches for ticket_with_children's statement, read in the
// same round trip. Each SELECT has the child columns (kind, texts t1..t6,
// numbers i1 and i2, other_key, other_deleted, sort keys n1, n2 and s1) and
// then null_ticket_column(); `(SELECT id FROM k)` is the ticket's id and `k`
// its row. Rows come ordered by kind, n1, n2, s1, other_key.
struct ExtraChildBranches {
  std::string sql;  // " UNION ALL SELECT ..." once per branch
  // Takes a row of these branches (true), or leaves it to the lists (false).
  std::function<bool(const SqlRow& row, const CachedTicket& ticket)> take;
};

// A ticket by its current key with its four lists (and its history with
// `history`), in one statement prepared once per connection. A live row
// holding the key wins over a deleted one that once held it. Nothing for a
// key no row holds now (a former key is the caller's to look up).
std::optional<CachedTicket> ticket_with_children(soci::session& s, const std::string& key,
                                                 std::vector<TicketChange>* history = nullptr,
                                                 const ExtraChildBranches* extra = nullptr);

// The four lists of a ticket by its id, read on their own (an old key's ticket).
void load_children_of_one(soci::session& s, const std::string& id, JiraIssue& issue);

// ", NULL": a child row's value in the column that holds the ticket's row.
std::string null_ticket_column();

std::string replace_all(std::string text, const std::string& what, const std::string& with);

}  // namespace jirasync
