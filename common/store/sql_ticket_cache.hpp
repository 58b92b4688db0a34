#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/ticket_cache.hpp"

namespace jirasync {

// TicketCache on PostgreSQL or SQLite. Every call holds the Database lock for
// its duration (see Database for the threading rule).
class SqlTicketCache : public TicketCache {
 public:
  explicit SqlTicketCache(std::shared_ptr<Database> db);

  std::map<std::string, CachedTicket> load(const std::vector<std::string>& ids) override;
  // The rows alone, without comments, links, sub-tasks or attachments.
  std::map<std::string, CachedTicket> load_rows(const std::vector<std::string>& ids);
  std::map<std::string, std::vector<LocalEdit>> local_edits(
      const std::vector<std::string>& ids) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
