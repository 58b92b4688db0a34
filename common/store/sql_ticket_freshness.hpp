#pragma once

#include <memory>
#include <string>

#include "common/store/database.hpp"
#include "common/store/ticket_freshness.hpp"

namespace jirasync {

// SQL for the start of the latest successful run of `project_sql` that would
// have fetched a changed ticket (incremental, full, refetch); NULL if none.
std::string latest_good_run_sql(const std::string& project_sql);

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
