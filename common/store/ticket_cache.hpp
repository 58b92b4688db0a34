#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/store/ticket_records.hpp"

namespace jirasync {

// The reconciler's view of the cache: what it holds for a batch of issue ids.
class TicketCache {
 public:
  virtual ~TicketCache() = default;

  // Cached state for many ids at once (missing ids are absent).
  virtual std::map<std::string, CachedTicket> load(const std::vector<std::string>& ids) = 0;
  // The local edits of each id that has any.
  virtual std::map<std::string, std::vector<LocalEdit>> local_edits(
      const std::vector<std::string>& ids) = 0;
};

}  // namespace jirasync
