#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/store/database.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

// The writer's apply path in its rebuild mode (DecisionBatch::Mode::kRebuild),
// for `jirasync replay`: decisions that belong to no run, each batch one write
// transaction. User state (local edits, notes, tags, links, conflicts) is
// only read, never written.
class SqlCacheRebuild {
 public:
  explicit SqlCacheRebuild(std::shared_ptr<Database> db);

  // What the reconcile rule compares, by id: key, hashes, `updated`,
  // deleted (the issue itself is left empty: a rebuild resolves no conflict).
  std::map<std::string, CachedTicket> load_compared(const std::vector<std::string>& ids);

  // Rows written.
  int64_t apply(const std::vector<Decision>& batch, int64_t now_ms);

  // Ids of the live tickets of `project` created before `before_ms`: what a
  // sweep that started then could have found gone.
  std::vector<std::string> live_ids_created_before(const std::string& project, int64_t before_ms);

  // Tickets in the cache, deleted ones included.
  int64_t ticket_count();

  // When `tickets` has no row: empties the list tables (comments, links,
  // sub-tasks, attachments, labels), whose rows then belong to no ticket (a
  // `DELETE FROM tickets` leaves them). A replay would otherwise delete them
  // ticket by ticket and insert the same keys over the dead rows. Returns the
  // rows removed; 0, touching nothing, when `tickets` has a row.
  int64_t clear_lists_of_absent_tickets();

  // PostgreSQL: statistics of the tables a replay fills, gathered again, so
  // that the sessions' generic plans are made again for their new size.
  void refresh_statistics();

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
