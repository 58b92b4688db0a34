#include "cli/index_deferral.hpp"

namespace jirasync {

IndexDeferral decide_index_deferral(const IndexDeferralFacts& facts) {
  if (facts.keep_indexes) return {false, "indexes kept up row by row (--keep-indexes)"};
  if (!facts.postgres) return {false, "indexes kept up row by row (SQLite)"};
  if (facts.cached_tickets > 0) {
    return {false, "indexes kept: the cache has " + std::to_string(facts.cached_tickets) +
                       " tickets (a replay in place)"};
  }
  if (facts.records <= 0) return {false, "indexes kept: nothing to replay"};
  return {true,
          "the cache is empty: the ticket tables' secondary indexes are built after the rows"};
}

}  // namespace jirasync
