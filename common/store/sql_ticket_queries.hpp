#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/ticket_queries.hpp"

namespace jirasync {

// TicketQueries on PostgreSQL or SQLite. Every call holds the Database lock
// for its duration (see Database for the threading rule).
class SqlTicketQueries : public TicketQueries {
 public:
  explicit SqlTicketQueries(std::shared_ptr<Database> db);

  std::optional<CachedTicket> find_by_key(const std::string& key_or_old_key) override;
  std::map<std::string, std::string> current_keys(const std::vector<std::string>& ids) override;
  std::map<std::string, CachedTicket> find_by_ids(const std::vector<std::string>& ids) override;
  std::map<std::string, CachedTicket> find_rows_by_ids(
      const std::vector<std::string>& ids) override;
  std::map<std::string, std::string> ids_of_keys(const std::vector<std::string>& keys) override;
  std::vector<TicketSummary> list(const std::string& project, int limit) override;
  int64_t count(const std::string& project) override;
  std::vector<TicketChange> changes(const std::string& ticket_id) override;
  std::optional<WithHistory> find_with_history(const std::string& key_or_old_key) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
