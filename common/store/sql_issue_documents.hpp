#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/issue_documents.hpp"
#include "common/store/sql_local_ticket_data.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/sql_ticket_queries.hpp"

namespace jirasync {

// IssueDocuments on PostgreSQL or SQLite: a ticket by its current key in one
// statement (row, lists, history, local data, freshness); by a former key
// through the three seams one by one (rare).
class SqlIssueDocuments : public IssueDocuments {
 public:
  explicit SqlIssueDocuments(std::shared_ptr<Database> db);
  std::optional<IssueDocument> find(const std::string& key_or_old_key) override;

 private:
  std::shared_ptr<Database> db_;
  SqlTicketQueries tickets_;
  SqlLocalTicketData local_;
  SqlTicketFreshness freshness_;
};

}  // namespace jirasync
