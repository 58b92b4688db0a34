#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/ticket_freshness.hpp"

namespace jirasync {

// TicketFreshness on tickets.last_synced_ms, ticket_checks and sync_runs.
class SqlTicketFreshness : public TicketFreshness {
 public:
  explicit SqlTicketFreshness(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  std::map<std::string, TicketAge> ages(const std::vector<std::string>& ids) override;
  void mark_checked(const std::vector<std::string>& ids, int64_t at_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
