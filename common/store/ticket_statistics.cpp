#include "common/store/ticket_statistics.hpp"

#include <soci/soci.h>

#include "common/store/database.hpp"

namespace jirasync {

void analyze_ticket_keys(Database& db) {
  if (db.backend() != Backend::kPostgres) return;
  auto lock = db.lock();
  try {
    // The planner needs the tables' size and the keys' spread; the whole
    // statistics of the text columns would cost seconds of a 100,000-issue sync.
    db.session() << "SET default_statistics_target = 10";
    db.session() << "ANALYZE tickets (id), ticket_keys (ticket_id), ticket_comments (ticket_id), "
                    "ticket_links (ticket_id), ticket_subtasks (ticket_id), "
                    "ticket_attachments (ticket_id), ticket_labels (ticket_id)";
    db.session() << "RESET default_statistics_target";
  } catch (const std::exception& e) {
    db.fail("gathering the ticket tables' statistics", e);
  }
}

}  // namespace jirasync
