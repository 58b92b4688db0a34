#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/store/local_ticket_data.hpp"
#include "common/store/ticket_freshness.hpp"
#include "common/store/ticket_queries.hpp"

namespace jirasync {

// One cached ticket as a client reads it whole (GET /api/v1/issues/{key}):
// the row with its lists, its history, the user's data about it and how
// fresh it is.
struct IssueDocument {
  CachedTicket ticket;
  std::vector<TicketChange> history;
  TicketLocalData local;
  std::optional<TicketAge> age;
};

// The one-issue read as one seam, so a store can answer it in one round trip
// (the API's hottest route); what TicketQueries::find_with_history,
// LocalTicketData::local_data_of and TicketFreshness::ages give together.
class IssueDocuments {
 public:
  virtual ~IssueDocuments() = default;
  // By current or former key, as TicketQueries::find_by_key.
  virtual std::optional<IssueDocument> find(const std::string& key_or_old_key) = 0;
};

}  // namespace jirasync
